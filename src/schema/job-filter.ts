import { JOB_ORDER_FIELDS, type JobFilter, type JobOrderField } from '../store/job-store.js';
import { BadInputError } from '../model/errors.js';
import { builder } from './builder.js';
import { uidInput } from './input-checks.js';
import { JobCategoryRef, JobStatusRef, OrderDirectionRef } from './job-enums.js';

export const JobFilterInput = builder.inputType('JobFilter', {
  description: 'Conditions a job must meet; every given field must hold, and list fields match any of their values.',
  fields: (t) => ({
    projectUid: t.string({ description: 'Only jobs of this project, e.g. `P3`.', ...uidInput('P') }),
    workspaceUid: t.string({ description: 'Only jobs linked to this workspace, e.g. `W2` (combine with projectUid).', ...uidInput('W') }),
    uids: t.stringList({ description: 'Only these job uids.', ...uidInput('J') }),
    status: t.field({ type: [JobStatusRef], description: 'Any of these statuses.' }),
    type: t.stringList({ description: 'Any of these job types (`spec.type`), e.g. `homo_abinit`.' }),
    category: t.field({ type: [JobCategoryRef], description: 'Any of these job categories.' }),
    tags: t.stringList({ description: 'Jobs carrying at least one of these tags.' }),
    titleContains: t.string({
      description:
        'Substring of the title, ignoring case in any script (`2.8 å` finds `2.8 Å`, `strasse` finds `Straße`); `%`, `_` and `\\` are plain characters.',
    }),
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

/** Most values a list field of a filter may hold: each becomes a bound SQL parameter, and engines cap those. */
export const MAX_FILTER_VALUES = 1000;
/** Longest `titleContains`: SQLite refuses LIKE patterns over 50,000 bytes, and no title is this long. */
export const MAX_TITLE_SUBSTRING = 1000;

/**
 * GraphQL input → store filter (the shapes match; this only drops GraphQL's nulls-vs-absent distinction).
 * A list over {@link MAX_FILTER_VALUES} values or a `titleContains` over {@link MAX_TITLE_SUBSTRING}
 * characters is `BAD_USER_INPUT`.
 */
export function toStoreFilter(filter: JobFilterArg | null | undefined, extra: Partial<JobFilter> = {}): JobFilter {
  for (const [name, value] of Object.entries(filter ?? {})) {
    if (Array.isArray(value) && value.length > MAX_FILTER_VALUES) {
      throw new BadInputError(`\`filter.${name}\` has ${value.length} values; at most ${MAX_FILTER_VALUES} are allowed.`);
    }
  }
  if ((filter?.titleContains?.length ?? 0) > MAX_TITLE_SUBSTRING) {
    throw new BadInputError(`\`filter.titleContains\` is longer than ${MAX_TITLE_SUBSTRING} characters.`);
  }
  return { ...(filter ?? {}), ...extra } as JobFilter;
}

/** Sort keys: more than one per field would only lengthen the SQL. */
export function checkJobOrder(orderBy: readonly unknown[] | null | undefined): void {
  if (orderBy && orderBy.length > JOB_ORDER_FIELDS.length) {
    throw new BadInputError(`\`orderBy\` has ${orderBy.length} keys; at most ${JOB_ORDER_FIELDS.length}, one per field.`);
  }
}
