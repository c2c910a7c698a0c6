/** The project's jobs as a table: filters (status, type, text), sorting, and cursor paging over the same API the graph reads. */
import { type JobFilter, type JobOrderField, type JobStatus, type OrderDirection, ViewerJobTableDocument, type ViewerJobTableQuery } from '../../gql/graphql.js';
import { ApiError, request } from '../api.js';
import { h } from '../dom.js';
import { errorWords } from '../errors.js';
import { jobPath } from '../router.js';
import { STATUSES, statusLabel } from '../status.js';

const PAGE_SIZE = 50;
const COLUMNS: { label: string; field: JobOrderField }[] = [
  { label: 'Job', field: 'UID' },
  { label: 'Title', field: 'TITLE' },
  { label: 'Type', field: 'TYPE' },
  { label: 'Status', field: 'STATUS' },
  { label: 'Updated', field: 'UPDATED_AT' },
];

export interface JobTable {
  readonly element: HTMLElement;
  reload(): void;
}

export function createJobTable(projectUid: string): JobTable {
  let order: { field: JobOrderField; direction: OrderDirection } = { field: 'UPDATED_AT', direction: 'DESC' };
  let page: { after?: string | null; before?: string | null } = {};
  let info: ViewerJobTableQuery['project'] extends infer P ? (P extends { jobs: { pageInfo: infer I } } ? I : never) : never;
  let loadId = 0;

  const status = h('select', { 'aria-label': 'status filter', name: 'status' }, h('option', { value: '' }, 'any status'), ...STATUSES.map((s) => h('option', { value: s }, s.toLowerCase())));
  const type = h('input', { type: 'search', name: 'type', placeholder: 'job type, e.g. homo_abinit', 'aria-label': 'type filter' });
  const text = h('input', { type: 'search', name: 'text', placeholder: 'title contains…', 'aria-label': 'text filter' });
  const body = h('tbody');
  const head = h('tr');
  const summary = h('span', { class: 'muted table-summary', 'aria-live': 'polite' });
  const previous = h('button', { type: 'button', disabled: true, onclick: () => go({ before: info?.startCursor }) }, '← Previous');
  const next = h('button', { type: 'button', disabled: true, onclick: () => go({ after: info?.endCursor }) }, 'Next →');
  const renderHead = () =>
    head.replaceChildren(
      ...COLUMNS.map((column) => {
        const sorted = order.field === column.field;
        return h(
          'th',
          { scope: 'col', 'aria-sort': sorted ? (order.direction === 'ASC' ? 'ascending' : 'descending') : 'none' },
          h('button', { type: 'button', class: 'sort', onclick: () => sortBy(column.field) }, column.label, sorted ? (order.direction === 'ASC' ? ' ▲' : ' ▼') : ''),
        );
      }),
    );
  const element = h(
    'section',
    { class: 'job-table', 'aria-label': 'jobs table' },
    h('form', { class: 'filters', role: 'search', onsubmit: (event: Event) => (event.preventDefault(), go({})) }, status, type, text, h('button', { type: 'submit' }, 'Filter'), summary),
    h('div', { class: 'table-scroll' }, h('table', {}, h('thead', {}, head), body)),
    h('nav', { class: 'pager', 'aria-label': 'pages' }, previous, next),
  );
  status.addEventListener('change', () => go({}));
  let typing = 0;
  for (const input of [type, text]) input.addEventListener('input', () => (clearTimeout(typing), (typing = window.setTimeout(() => go({}), 300))));

  function sortBy(field: JobOrderField) {
    order = { field, direction: order.field === field && order.direction === 'DESC' ? 'ASC' : order.field === field ? 'DESC' : field === 'UPDATED_AT' ? 'DESC' : 'ASC' };
    go({});
  }

  function go(next: typeof page) {
    page = next;
    void load();
  }

  async function load() {
    const mine = ++loadId;
    const filter: JobFilter = {};
    if (status.value) filter.status = [status.value as JobStatus];
    if (type.value.trim()) filter.type = [type.value.trim()];
    if (text.value.trim()) filter.titleContains = text.value.trim();
    const backward = page.before != null;
    try {
      const data = await request(ViewerJobTableDocument, {
        projectUid,
        filter,
        orderBy: [order],
        ...(backward ? { last: PAGE_SIZE, before: page.before } : { first: PAGE_SIZE, after: page.after ?? null }),
      });
      if (mine !== loadId || !data.project) return;
      const jobs = data.project.jobs;
      info = jobs.pageInfo;
      renderHead();
      body.replaceChildren(
        ...jobs.edges.map(({ node }) =>
          h(
            'tr',
            { 'data-job-uid': node.uid, 'data-status': node.status },
            h('td', {}, h('a', { href: jobPath(projectUid, node.uid) }, node.uid)),
            h('td', {}, node.title),
            h('td', {}, h('code', {}, node.type)),
            h('td', {}, h('span', { class: 'chip', 'data-status-label': '' }, statusLabel(node.status))),
            h('td', {}, h('time', { datetime: node.updatedAt }, node.updatedAt.slice(0, 16).replace('T', ' '))),
          ),
        ),
      );
      summary.textContent = `${jobs.totalCount} job${jobs.totalCount === 1 ? '' : 's'} match`;
      // Relay may leave hasPreviousPage false when paging forward (and hasNextPage when paging back): where we came from counts too.
      previous.disabled = !(info.hasPreviousPage || page.after);
      next.disabled = !(info.hasNextPage || page.before);
    } catch (error) {
      if (mine !== loadId) return;
      summary.textContent = error instanceof ApiError ? errorWords(error.code, error.message) : 'the jobs could not be loaded';
    }
  }

  renderHead();
  return { element, reload: () => void load() };
}
