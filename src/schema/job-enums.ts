import { JOB_ATTACH_STATUSES, JOB_IMPORT_STATUSES, QUEUE_STATUSES } from '../model/job.js';
import { JOB_CATEGORIES } from '../model/job-category.js';
import type { JobStatus } from '../model/job-status.js';
import { builder } from './builder.js';

const STATUS_DESCRIPTIONS: Record<JobStatus, string> = {
  building: 'Being configured: params and connections can still change.',
  queued: 'Waiting in the scheduler queue.',
  launched: 'Handed to a worker by the scheduler.',
  started: 'Its monitor process has started.',
  running: 'Its main process is running.',
  waiting: 'An interactive job waiting for the user.',
  completed: 'Finished successfully (or marked completed).',
  killed: 'Stopped by a user.',
  failed: 'Stopped by an error.',
};

export const JobStatusRef = builder.enumType('JobStatus', {
  description: 'Where a job is in its lifecycle: building → queued → launched → started → running (⇄ waiting) → completed | killed | failed.',
  values: Object.fromEntries(
    (Object.keys(STATUS_DESCRIPTIONS) as JobStatus[]).map((s) => [s.toUpperCase(), { value: s, description: STATUS_DESCRIPTIONS[s] }]),
  ) as Record<Uppercase<JobStatus>, { value: JobStatus; description: string }>,
});

function lowerEnum<const V extends string>(name: string, description: string, values: readonly V[], describe: (v: V) => string) {
  return builder.enumType(name, {
    description,
    values: Object.fromEntries(values.map((v) => [v.toUpperCase(), { value: v, description: describe(v) }])) as Record<
      Uppercase<V>,
      { value: V; description: string }
    >,
  });
}

export const QueueStatusRef = lowerEnum('QueueStatus', 'Why a queued job is not running yet.', QUEUE_STATUSES, (v) =>
  ({
    waiting_inputs: 'Its parents have not finished.',
    project_paused: 'Its project is paused.',
    actively_queued: 'Queued and eligible to launch.',
    launched: 'Being launched.',
    waiting_maintenance: 'The instance is in maintenance mode.',
    waiting_licenses: 'Waiting for licence tokens.',
    waiting_resources: 'Waiting for free resources in its lane.',
  })[v],
);

export const JobImportStatusRef = lowerEnum('JobImportStatus', 'Progress of importing a job from another instance.', JOB_IMPORT_STATUSES, (v) => `Import ${v}.`);
export const JobAttachStatusRef = lowerEnum('JobAttachStatus', 'Progress of attaching a job to a project.', JOB_ATTACH_STATUSES, (v) => `Attach ${v}.`);
export const JobCategoryRef = lowerEnum('JobCategory', 'Section of the job builder a job type belongs to.', JOB_CATEGORIES, (v) => `The \`${v}\` section.`);

export const OrderDirectionRef = builder.enumType('OrderDirection', {
  description: 'Sort direction.',
  values: { ASC: { value: 'ASC', description: 'Smallest first.' }, DESC: { value: 'DESC', description: 'Largest first.' } } as const,
});
