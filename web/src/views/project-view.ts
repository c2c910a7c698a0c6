/**
 * `/projects/:projectUid` and `/projects/:projectUid/jobs/:jobUid`: the job
 * graph (bounded to the newest jobs of a large project, or focused on a job's
 * lineage), the job panel, and the jobs table. Live events recolour nodes in
 * place; a job seen for the first time is added and the layout runs again.
 */
import type { JobStatus, LineageDirection } from '../../gql/graphql.js';
import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { errorWords } from '../errors.js';
import { type GraphNode, NODE_HEIGHT, NODE_WIDTH, createGraphRenderer } from '../graph/graph-renderer.js';
import type { LayoutClient } from '../graph/layout-client.js';
import { showJobStatus } from '../job-elements.js';
import type { StatusEvent } from '../live.js';
import { GRAPH_LIMIT, loadLineage, loadProjectGraph } from '../project-data.js';
import { type Route, jobPath, projectPath } from '../router.js';
import { createJobPanel } from './job-panel.js';
import { createJobTable } from './job-table.js';
import type { View } from './view.js';

export interface ProjectViewOptions {
  projectUid: string;
  jobUid: string | null;
  layout: LayoutClient;
  navigate(path: string): void;
}

export function createProjectView({ projectUid, jobUid, layout, navigate }: ProjectViewOptions): View {
  const element = h('section', { class: 'project-view', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'loading…'));
  const jobs = new Map<string, GraphNode>();
  let focus: { uid: string; direction: LineageDirection; depth: number | null } | null = null;
  let shown = new Set<string>();
  let total = 0;
  let loaded = false;
  let disposed = false;
  let selected = jobUid;
  const pending: StatusEvent[] = [];
  let relayout = 0;

  const graphBox = h('div', { class: 'graph', tabindex: -1 });
  const renderer = createGraphRenderer(graphBox, { onSelect: (uid) => navigate(jobPath(projectUid, uid)) });
  const panel = createJobPanel({
    onClose: () => navigate(projectPath(projectUid)),
    onStatusChanged: (uid, status) => applyStatus(uid, status),
  });
  const notice = h('p', { class: 'notice', 'aria-live': 'polite' });
  const depth = h('input', { type: 'number', min: 1, max: 50, value: 3, 'aria-label': 'focus depth', class: 'depth' });
  const direction = h('select', { 'aria-label': 'focus direction' }, h('option', { value: 'BOTH' }, 'ancestors and descendants'), h('option', { value: 'ANCESTORS' }, 'ancestors'), h('option', { value: 'DESCENDANTS' }, 'descendants'));
  const focusButton = h('button', { type: 'button', onclick: () => selected && void applyFocus({ uid: selected, direction: direction.value as LineageDirection, depth: Number(depth.value) || null }) }, 'Focus');
  const allButton = h('button', { type: 'button', onclick: () => void showAll() }, 'Show all');
  let table: ReturnType<typeof createJobTable> | undefined;

  function applyStatus(uid: string, status: JobStatus) {
    const job = jobs.get(uid);
    if (job) job.status = status;
    renderer.setStatus(uid, status);
    showJobStatus(element, uid, status);
  }

  /** Lays out `list` in the worker and draws it; `final`: the graph is complete (marks it ready). Resolves false when a newer draw overtook it. */
  async function draw(list: GraphNode[], fit: boolean, final = true): Promise<boolean> {
    const mine = ++relayout;
    shown = new Set(list.map((job) => job.uid));
    const inside = shown;
    const result = await layout.layout({
      nodes: list.map((job) => ({ id: job.uid, width: NODE_WIDTH, height: NODE_HEIGHT })),
      edges: list.flatMap((job) => job.parents.filter((p) => inside.has(p)).map((parent) => ({ source: parent, target: job.uid }))),
    });
    if (mine !== relayout || disposed) return false;
    const drawn = renderer.draw(list, result);
    if (fit && !renderer.interacted) {
      renderer.fit();
      if (selected && renderer.has(selected)) renderer.centerOn(selected);
    }
    renderer.select(selected);
    await drawn;
    if (mine !== relayout || disposed) return false;
    if (final) {
      graphBox.dataset.state = 'ready';
      graphBox.dataset.nodes = String(list.length);
      if (!performance.getEntriesByName('jobgraph:graph-drawn', 'mark').length) performance.mark('jobgraph:graph-drawn');
    }
    return true;
  }

  function describe() {
    if (focus) notice.textContent = `showing ${shown.size.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} jobs: the lineage of ${focus.uid}`;
    else if (shown.size < total) notice.textContent = `showing ${shown.size.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} jobs (the newest); pick a job and focus to see its lineage`;
    else notice.textContent = `${total.toLocaleString('en-US')} job${total === 1 ? '' : 's'}`;
    allButton.hidden = !focus;
  }

  async function applyFocus(next: NonNullable<typeof focus>) {
    try {
      const lineage = await loadLineage(projectUid, next.uid, next.direction, next.depth);
      focus = next;
      for (const job of lineage.jobs) jobs.set(job.uid, jobs.get(job.uid) ?? job);
      await draw(lineage.jobs.map((job) => jobs.get(job.uid)!), true);
      describe();
    } catch (error) {
      notice.textContent = error instanceof ApiError ? errorWords(error.code, error.message) : 'the lineage could not be loaded';
    }
  }

  async function showAll() {
    focus = null;
    await draw(newest(), true);
    describe();
  }

  const newest = () => [...jobs.values()].slice(0, GRAPH_LIMIT);

  function onEvent(event: StatusEvent) {
    if (event.projectUid !== projectUid) return;
    const known = jobs.get(event.jobUid);
    if (!loaded) {
      // While the graph loads: a job already read recolours now; any other waits for its page, then replays.
      if (known) applyStatus(event.jobUid, event.status);
      pending.push(event);
      return;
    }
    if (known) {
      applyStatus(event.jobUid, event.status);
      panel.onStatus(event.jobUid, event.status);
      return;
    }
    // A job seen for the first time: add it (newest first) and lay out again; the focus, if any, stays.
    const job = event.job;
    jobs.set(job.uid, { uid: job.uid, title: job.title, type: job.type, status: job.status, parents: job.parents.map((p) => p.uid) });
    total++;
    if (!focus) {
      const order = [jobs.get(job.uid)!, ...[...jobs.values()].filter((j) => j.uid !== job.uid)];
      jobs.clear();
      for (const j of order) jobs.set(j.uid, j);
      void draw(newest(), false).then(describe);
    }
  }

  /** Reads the graph again (after a reconnect with no cursor to resume from): statuses change in place, new jobs are added. */
  async function resync() {
    try {
      const graph = await loadProjectGraph(projectUid);
      if (disposed || !graph.project) return;
      total = graph.total;
      let added = false;
      for (const job of graph.jobs) {
        if (jobs.has(job.uid)) applyStatus(job.uid, job.status);
        else {
          jobs.set(job.uid, job);
          added = true;
        }
      }
      if (added && !focus) await draw(newest(), false);
      describe();
    } catch {
      // The next reconnect tries again.
    }
  }

  /** The page's frame (toolbar, workspace, table), once the project is known. */
  function mount(project: { uid: string; title: string }) {
    document.title = `${project.uid} ${project.title} · jobgraph`;
    table = createJobTable(projectUid);
    element.replaceChildren(
      h(
        'div',
        { class: 'toolbar' },
        h('h1', {}, h('span', { class: 'uid' }, project.uid), ' ', project.title),
        notice,
        h('div', { class: 'focus-controls', role: 'group', 'aria-label': 'focus' }, direction, depth, focusButton, allButton),
        h(
          'div',
          { class: 'zoom-controls', role: 'group', 'aria-label': 'zoom' },
          h('button', { type: 'button', 'aria-label': 'zoom out', onclick: () => renderer.zoomBy(1 / 1.25) }, '−'),
          h('button', { type: 'button', 'aria-label': 'zoom in', onclick: () => renderer.zoomBy(1.25) }, '+'),
          h('button', { type: 'button', onclick: () => renderer.fit() }, 'Fit'),
        ),
      ),
      h('div', { class: 'workspace' }, graphBox, panel.element),
      table.element,
    );
    element.setAttribute('aria-busy', 'false');
    focusButton.disabled = !selected;
    if (selected) panel.show(projectUid, selected);
  }

  void (async () => {
    try {
      // Draw while the pages arrive: the first page at once, then each time the graph has doubled; the complete graph last.
      let mounted = false;
      let early: Promise<boolean> | null = null;
      let drawnAt = 0;
      let read = 0;
      const graph = await loadProjectGraph(projectUid, GRAPH_LIMIT, (partial) => {
        if (disposed || !partial.project) return;
        if (!mounted) {
          mounted = true;
          mount(partial.project);
        }
        total = partial.total;
        // Only what arrived since the last page (the list grows).
        for (; read < partial.jobs.length; read++) {
          const job = partial.jobs[read]!;
          if (!jobs.has(job.uid)) jobs.set(job.uid, job);
        }
        notice.textContent = `loading… ${jobs.size.toLocaleString('en-US')} of ${Math.min(total, GRAPH_LIMIT).toLocaleString('en-US')} jobs`;
        if (early || jobs.size < drawnAt * 2) return;
        drawnAt = jobs.size;
        early = draw(newest(), true, false).finally(() => (early = null));
      });
      if (disposed) return;
      if (!graph.project) {
        element.replaceChildren(h('h1', {}, 'not found'), h('p', {}, h('a', { href: '/' }, 'All projects')));
        element.setAttribute('aria-busy', 'false');
        return;
      }
      total = graph.total;
      // Newest first (the pages arrived out of order), then any job a live event added meanwhile.
      const ordered = new Map<string, GraphNode>();
      for (const job of graph.jobs) ordered.set(job.uid, jobs.get(job.uid) ?? job);
      for (const [uid, job] of jobs) if (!ordered.has(uid)) ordered.set(uid, job);
      jobs.clear();
      for (const [uid, job] of ordered) jobs.set(uid, job);
      if (!mounted) mount(graph.project);
      await draw(newest(), true);
      loaded = true;
      describe();
      for (const event of pending.splice(0)) onEvent(event);
      table?.reload();
    } catch (error) {
      if (disposed) return;
      const words = error instanceof ApiError ? (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND' ? 'not found' : errorWords(error.code, error.message)) : 'the project could not be loaded';
      element.replaceChildren(h('h1', {}, words === 'not found' ? 'not found' : 'Something went wrong'), h('p', { role: 'alert', class: 'error' }, words));
    }
  })();

  return {
    element,
    onEvent,
    update(route: Route) {
      if (route.name === 'project' && route.projectUid === projectUid) {
        selected = null;
        panel.element.hidden = true;
        renderer.select(null);
        focusButton.disabled = true;
        return true;
      }
      if (route.name === 'job' && route.projectUid === projectUid) {
        selected = route.jobUid;
        panel.show(projectUid, route.jobUid);
        renderer.select(route.jobUid);
        focusButton.disabled = false;
        if (renderer.has(route.jobUid)) renderer.centerOn(route.jobUid);
        return true;
      }
      return false;
    },
    onReconnected(resumed) {
      table?.reload();
      if (!resumed && loaded) void resync();
    },
    dispose() {
      disposed = true;
    },
  };
}
