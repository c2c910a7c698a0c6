/** `/`: every project the caller may read, with its job counts by status, kept current by the live events. */
import { type JobStatus, ViewerProjectsDocument } from '../../gql/graphql.js';
import { request } from '../api.js';
import { h } from '../dom.js';
import { errorWords } from '../errors.js';
import type { StatusEvent } from '../live.js';
import { projectPath } from '../router.js';
import { STATUSES, statusLabel } from '../status.js';
import type { View } from './view.js';
import { ApiError } from '../api.js';

export function createProjectsView(): View {
  const element = h('section', { class: 'projects-view' }, h('h1', {}, 'Projects'), h('p', { class: 'muted' }, 'loading…'));
  const counts = new Map<string, Map<JobStatus, number>>();
  const cells = new Map<string, HTMLElement>();

  const renderCounts = (projectUid: string) => {
    const cell = cells.get(projectUid);
    const byStatus = counts.get(projectUid);
    if (!cell || !byStatus) return;
    let total = 0;
    const chips = STATUSES.filter((status) => (byStatus.get(status) ?? 0) > 0).map((status) => {
      const count = byStatus.get(status)!;
      total += count;
      return h('li', { class: 'count', 'data-count-status': status, title: `${count} ${status.toLowerCase()}` }, h('span', { class: 'chip', 'data-status': status }, statusLabel(status)), ' ', h('strong', {}, count));
    });
    cell.replaceChildren(h('span', { class: 'total' }, `${total} jobs`), h('ul', { class: 'counts' }, ...chips));
  };

  const load = () => request(ViewerProjectsDocument, {});
  void load().then(
    (data) => {
      const rows = data.projects.edges.map(({ node }) => {
        counts.set(node.uid, new Map(node.jobCountsByStatus.map((c) => [c.status, c.count])));
        const cell = h('div', { class: 'project-counts' });
        cells.set(node.uid, cell);
        return h('li', { class: 'project-card', 'data-project-uid': node.uid }, h('a', { href: projectPath(node.uid), class: 'project-link' }, h('span', { class: 'uid' }, node.uid), ' ', h('span', { class: 'project-title' }, node.title)), cell);
      });
      element.replaceChildren(h('h1', {}, 'Projects'), rows.length ? h('ul', { class: 'project-list' }, ...rows) : h('p', { class: 'muted' }, 'No project you may read.'));
      for (const uid of cells.keys()) renderCounts(uid);
    },
    (error: unknown) => element.replaceChildren(h('h1', {}, 'Projects'), h('p', { role: 'alert', class: 'error' }, error instanceof ApiError ? errorWords(error.code, error.message) : 'the projects could not be loaded')),
  );

  return {
    element,
    onEvent(event: StatusEvent) {
      const byStatus = counts.get(event.projectUid);
      if (!byStatus) return;
      if (event.previousStatus) byStatus.set(event.previousStatus, Math.max(0, (byStatus.get(event.previousStatus) ?? 0) - 1));
      byStatus.set(event.status, (byStatus.get(event.status) ?? 0) + 1);
      renderCounts(event.projectUid);
    },
    onReconnected(resumed: boolean) {
      if (resumed) return;
      void load().then(
        (data) => {
          for (const { node } of data.projects.edges) {
            counts.set(node.uid, new Map(node.jobCountsByStatus.map((c) => [c.status, c.count])));
            renderCounts(node.uid);
          }
        },
        () => undefined,
      );
    },
    dispose() {},
  };
}
