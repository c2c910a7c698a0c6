/** The job's detail panel: what it is, its times, errors, resources, params, neighbours, and the actions the lifecycle allows. */
import { type JobStatus, ViewerJobDocument, type ViewerJobQuery, ViewerSetJobStatusDocument, ViewerStarJobDocument, ViewerUnstarJobDocument } from '../../gql/graphql.js';
import { ApiError, request } from '../api.js';
import { h } from '../dom.js';
import { errorWords } from '../errors.js';
import { jobPath } from '../router.js';
import { statusLabel } from '../status.js';

type Job = NonNullable<ViewerJobQuery['job']>;

/** The gateway's lifecycle (README, "Changing jobs"): which action takes a job where, and from where. */
const ACTIONS: { label: string; to: JobStatus; from: readonly JobStatus[] }[] = [
  { label: 'Queue', to: 'QUEUED', from: ['BUILDING'] },
  { label: 'Kill', to: 'KILLED', from: ['QUEUED', 'LAUNCHED', 'STARTED', 'RUNNING', 'WAITING'] },
  { label: 'Clear', to: 'BUILDING', from: ['QUEUED', 'COMPLETED', 'KILLED', 'FAILED'] },
  { label: 'Mark completed', to: 'COMPLETED', from: ['RUNNING', 'WAITING', 'KILLED', 'FAILED'] },
];

const TIMES: [keyof Job, string][] = [
  ['createdAt', 'created'],
  ['queuedAt', 'queued'],
  ['launchedAt', 'launched'],
  ['startedAt', 'started'],
  ['runningAt', 'running'],
  ['completedAt', 'completed'],
  ['failedAt', 'failed'],
  ['killedAt', 'killed'],
  ['updatedAt', 'updated'],
];

export interface JobPanel {
  readonly element: HTMLElement;
  show(projectUid: string, uid: string): void;
  /** A live event for this job: its status changed (the panel reloads its details). */
  onStatus(uid: string, status: JobStatus): void;
  readonly uid: string | null;
}

export function createJobPanel({ onClose, onStatusChanged }: { onClose(): void; onStatusChanged(uid: string, status: JobStatus): void }): JobPanel {
  const element = h('aside', { class: 'job-panel', 'aria-label': 'job details', hidden: true });
  let current: { projectUid: string; uid: string } | null = null;
  let loadId = 0;

  const load = async (quiet = false) => {
    if (!current) return;
    const mine = ++loadId;
    const { projectUid, uid } = current;
    if (!quiet) element.replaceChildren(closeButton(), h('p', { class: 'muted' }, `loading ${uid}…`));
    try {
      const data = await request(ViewerJobDocument, { projectUid, uid });
      if (mine !== loadId) return;
      if (!data.job) element.replaceChildren(closeButton(), h('p', { role: 'alert', class: 'error' }, 'not found'));
      else render(data.job);
    } catch (error) {
      if (mine !== loadId) return;
      element.replaceChildren(closeButton(), h('p', { role: 'alert', class: 'error' }, error instanceof ApiError ? errorWords(error.code, error.message) : 'the job could not be loaded'));
    }
  };

  const closeButton = () => h('button', { class: 'close', type: 'button', 'aria-label': 'close the job panel', onclick: onClose }, '×');

  function render(job: Job) {
    const message = h('p', { class: 'action-message', role: 'alert' });
    const act = async (run: () => Promise<JobStatus | null>) => {
      message.textContent = '';
      for (const button of element.querySelectorAll<HTMLButtonElement>('.actions button')) button.disabled = true;
      try {
        const status = await run();
        if (status) onStatusChanged(job.uid, status);
        await load(true);
      } catch (error) {
        message.textContent = error instanceof ApiError ? errorWords(error.code, error.message) : 'the action failed';
        for (const button of element.querySelectorAll<HTMLButtonElement>('.actions button')) button.disabled = false;
      }
    };
    const ref = { projectUid: job.projectUid, uid: job.uid };
    const actions = ACTIONS.filter((action) => action.from.includes(job.status)).map((action) =>
      h('button', { type: 'button', 'data-action': action.to, onclick: () => act(async () => (await request(ViewerSetJobStatusDocument, { input: { ...ref, status: action.to } })).setJobStatus.job.status) }, action.label),
    );
    actions.push(
      h('button', { type: 'button', 'data-action': 'STAR', onclick: () => act(async () => (await request(ViewerStarJobDocument, { input: ref }), null)) }, '☆ Star'),
      h('button', { type: 'button', 'data-action': 'UNSTAR', onclick: () => act(async () => (await request(ViewerUnstarJobDocument, { input: ref }), null)) }, 'Unstar'),
    );
    const times = TIMES.filter(([key]) => job[key]).map(([key, label]) => [h('dt', {}, label), h('dd', {}, h('time', { datetime: String(job[key]) }, formatTime(String(job[key]))))]);
    const resources = job.resourcesAllocated;
    element.replaceChildren(
      closeButton(),
      h('header', { class: 'job-head', 'data-job-uid': job.uid, 'data-status': job.status },
        h('h2', {}, h('span', { class: 'uid' }, job.uid), ' ', job.title || job.type),
        h('p', {}, h('span', { class: 'chip', 'data-status-label': '' }, statusLabel(job.status)), ' ', h('code', {}, job.type), job.category ? ` · ${job.category.toLowerCase()}` : '', job.starredBy.length ? ` · ★ ${job.starredBy.length}` : ''),
      ),
      job.description ? h('p', { class: 'description' }, job.description) : '',
      h('div', { class: 'actions', role: 'group', 'aria-label': 'actions' }, ...actions),
      message,
      h('h3', {}, 'Times'),
      h('dl', { class: 'times' }, ...times.flat()),
      job.errorsRun.length ? h('h3', {}, 'Errors') : '',
      job.errorsRun.length ? h('ul', { class: 'errors' }, ...job.errorsRun.map((e) => h('li', { class: e.warning ? 'warning' : 'error' }, e.message))) : '',
      h('h3', {}, 'Resources'),
      resources
        ? h('p', {}, `${resources.lane ?? 'no lane'} · ${resources.hostname ?? 'no host'} · ${resources.slots.cpu.length} CPU, ${resources.slots.gpu.length} GPU, ${resources.slots.ram.length} RAM slots`)
        : h('p', { class: 'muted' }, 'none allocated'),
      h('details', { class: 'params' }, h('summary', {}, 'Parameters'), h('pre', {}, JSON.stringify(job.spec.params, null, 2))),
      neighbours('Parents', job.projectUid, job.parents),
      neighbours('Children', job.projectUid, job.children),
    );
  }

  return {
    element,
    get uid() {
      return current?.uid ?? null;
    },
    show(projectUid, uid) {
      element.hidden = false;
      if (current?.projectUid === projectUid && current.uid === uid) return;
      current = { projectUid, uid };
      void load();
    },
    onStatus(uid) {
      if (current?.uid === uid) void load(true);
    },
  };
}

function neighbours(title: string, projectUid: string, jobs: readonly { uid: string; title: string; status: JobStatus }[]) {
  return h(
    'section',
    { class: 'neighbours' },
    h('h3', {}, `${title} (${jobs.length})`),
    jobs.length
      ? h('ul', {}, ...jobs.map((job) => h('li', { 'data-job-uid': job.uid, 'data-status': job.status }, h('a', { href: jobPath(projectUid, job.uid) }, job.uid), ' ', job.title, ' ', h('span', { class: 'chip', 'data-status-label': '' }, statusLabel(job.status)))))
      : h('p', { class: 'muted' }, 'none'),
  );
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}
