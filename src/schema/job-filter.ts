import { JOB_ORDER_FIELDS, type JobFilter, type JobOrderField } from '../store/job-store.js';
import { builder } from './builder.js';
import { JobCategoryRef, JobStatusRef, OrderDirectionRef } from './job-enums.js';

export const JobFilterInput = builder.inputType('JobFilter', {
  description: 'Conditions a job must meet; every given field must hold, and list fields match any of their values.',
  fields: (t) => ({
    projectUid: t.string({ description: 'Only jobs of this project, e.g. `P3`.' }),
    workspaceUid: t.string({ description: 'Only jobs linked to this workspace, e.g. `W2` (combine with projectUid).' }),
    uids: t.stringList({ description: 'Only these job uids.' }),
    status: t.field({ type: [JobStatusRef], description: 'Any of these statuses.' }),
    type: t.stringList({ description: 'Any of these job types (`spec.type`), e.g. `homo_abinit`.' }),
    category: t.field({ type: [JobCategoryRef], description: 'Any of these job categories.' }),
    tags: t.stringList({ description: 'Jobs carrying at least one of these tags.' }),
    titleContains: t.string({ description: 'Case-insensitive substring of the title.' }),
    createdAfter: t.field({ type: 'DateTime', description: 'Created strictly after this instant.' }),
    createdBefore: t.field({ type: 'DateTime', description: 'Created strictly before this instant.' }),
    updatedAfter: t.field({ type: 'DateTime', description: 'Updated strictly after this instant.' }),
    updatedBefore: t.field({ type: 'DateTime', description: 'Updated strictly before this instant.' }),
    hasError: t.boolean({ description: 'Jobs whose log holds an error or that recorded run errors (true), or neither (false).' }),
    includeDeleted: t.boolean({ description: 'Include soft-deleted jobs (hidden by default).' }),
  }),
});

const ORDER_DESCRIPTIONS: Record<JobOrderField, string> = {
  CREATED_AT: 'Creation time.',
  UPDATED_AT: 'Last modification time.',
  UID: 'Project, then job number (J1, J2, … J10).',
  PRIORITY: 'Queue priority.',
  STATUS: 'Lifecycle order: building first, failed last.',
  TITLE: 'Title.',
  TYPE: 'Job type.',
};

export const JobOrderFieldRef = builder.enumType('JobOrderField', {
  description: 'What to sort jobs by.',
  values: Object.fromEntries(JOB_ORDER_FIELDS.map((f) => [f, { value: f, description: ORDER_DESCRIPTIONS[f] }])) as Record<
    JobOrderField,
    { value: JobOrderField; description: string }
  >,
});

export const JobOrderInput = builder.inputType('JobOrder', {
  description: 'One sort key. Ties are always broken by project and job number, so paging is stable.',
  fields: (t) => ({
    field: t.field({ type: JobOrderFieldRef, required: true, description: 'Sort key.' }),
    direction: t.field({ type: OrderDirectionRef, required: true, defaultValue: 'ASC', description: 'Sort direction.' }),
  }),
});

export type JobFilterArg = typeof JobFilterInput.$inferInput;

/** GraphQL input → store filter (the shapes match; this only drops GraphQL's nulls-vs-absent distinction). */
export function toStoreFilter(filter: JobFilterArg | null | undefined, extra: Partial<JobFilter> = {}): JobFilter {
  return { ...(filter ?? {}), ...extra } as JobFilter;
}
