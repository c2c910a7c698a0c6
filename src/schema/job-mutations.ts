import { z } from 'zod';
import { MAX_TITLE_LENGTH } from '../model/document-limits.js';
import { BadInputError, NotFoundError } from '../model/errors.js';
import type { Job } from '../model/job.js';
import type { JobStatus } from '../model/job-status.js';
import type { ControlResult, JobControl } from '../events/job-control.js';
import type { StoredStatusEvent } from '../store/job-store.js';
import { builder } from './builder.js';
import { uidInput } from './input-checks.js';
import type { Context } from './context.js';
import { JobStatusRef } from './job-enums.js';
import { JobRef } from './job.js';
import { JobStatusEventRef } from './subscriptions.js';

builder.mutationType({ description: 'Control actions on jobs. Every change is one transaction, and status changes are announced to subscribers after commit.' });

const SetJobStatusInput = builder.inputType('SetJobStatusInput', {
  description: 'Move a job through its lifecycle (queue, kill, clear, mark completed, …).',
  fields: (t) => ({
    projectUid: t.string({ required: true, description: 'Project uid, e.g. `P3`.', ...uidInput('P') }),
    uid: t.string({ required: true, description: 'Job uid, e.g. `J42`.', ...uidInput('J') }),
    status: t.field({ type: JobStatusRef, required: true, description: 'The new status; must be allowed from the current one (see the README).' }),
  }),
});

const UpdateJobInput = builder.inputType('UpdateJobInput', {
  description: 'Edit the descriptive fields of a job; omitted fields stay as they are.',
  fields: (t) => ({
    projectUid: t.string({ required: true, description: 'Project uid, e.g. `P3`.', ...uidInput('P') }),
    uid: t.string({ required: true, description: 'Job uid, e.g. `J42`.', ...uidInput('J') }),
    title: t.string({ description: `New title (at most ${MAX_TITLE_LENGTH} characters).` }),
    description: t.string({ description: 'New markdown description (at most 100,000 characters).' }),
    tags: t.stringList({ description: 'New tag list (replaces the old one; at most 100 tags).' }),
    priority: t.int({ description: 'New queue priority.' }),
  }),
});

const JobRefInput = builder.inputType('JobRefInput', {
  description: 'Names one job.',
  fields: (t) => ({
    projectUid: t.string({ required: true, description: 'Project uid, e.g. `P3`.', ...uidInput('P') }),
    uid: t.string({ required: true, description: 'Job uid, e.g. `J42`.', ...uidInput('J') }),
  }),
});

const updateSchema = z.object({
  title: z.string().max(MAX_TITLE_LENGTH, { error: `at most ${MAX_TITLE_LENGTH} characters` }).nullish(),
  description: z.string().max(100_000, { error: 'at most 100,000 characters' }).nullish(),
  tags: z.array(z.string().min(1, { error: 'tags cannot be empty' }).max(100)).max(100, { error: 'at most 100 tags' }).nullish(),
  priority: z.number().int().min(-1_000_000).max(1_000_000).nullish(),
});

interface JobPayload {
  job: Job;
  event?: StoredStatusEvent | undefined;
}

const SetJobStatusPayloadRef = builder.objectRef<JobPayload>('SetJobStatusPayload').implement({
  description: 'The job after its status changed, and the event that announced it.',
  fields: (t) => ({
    job: t.field({ type: JobRef, description: 'The job after the change.', resolve: (p) => p.job }),
    event: t.field({ type: JobStatusEventRef, description: 'The status event appended to the log.', resolve: (p) => ({ ...p.event!, job: p.job }) }),
  }),
});

const JobPayloadRef = builder.objectRef<JobPayload>('JobPayload').implement({
  description: 'The job after the change.',
  fields: (t) => ({ job: t.field({ type: JobRef, description: 'The job after the change.', resolve: (p) => p.job }) }),
});

async function change(ctx: Context, key: { projectUid: string; uid: string }, act: (control: JobControl) => Promise<ControlResult | undefined>): Promise<JobPayload> {
  const result = await act(ctx.control);
  if (!result) throw new NotFoundError(`Job ${key.projectUid}/${key.uid} does not exist.`);
  ctx.loaders.replaceJob(key, result.job);
  return result;
}

const key = (input: { projectUid: string; uid: string }) => ({ projectUid: input.projectUid, uid: input.uid });

builder.mutationFields((t) => ({
  setJobStatus: t.field({
    type: SetJobStatusPayloadRef,
    description: 'Changes the status of a job, if the lifecycle allows it (else INVALID_TRANSITION, nothing changed).',
    args: { input: t.arg({ type: SetJobStatusInput, required: true, description: 'Which job and its new status.' }) },
    resolve: (_r, { input }, ctx) => change(ctx, input, (control) => control.setStatus(key(input), input.status as JobStatus)),
  }),
  updateJob: t.field({
    type: JobPayloadRef,
    description: 'Edits the title, description, tags or priority of a job.',
    args: { input: t.arg({ type: UpdateJobInput, required: true, description: 'Which job and what to change.' }) },
    resolve: (_r, { input }, ctx) => {
      const parsed = updateSchema.safeParse(input);
      if (!parsed.success) {
        throw new BadInputError(parsed.error.issues.map((i) => `input.${i.path.join('.')}: ${i.message}`).join('; '));
      }
      return change(ctx, input, (control) => control.update(key(input), parsed.data));
    },
  }),
  starJob: t.field({
    type: JobPayloadRef,
    description: 'Stars a job for the current user (idempotent).',
    args: { input: t.arg({ type: JobRefInput, required: true, description: 'Which job.' }) },
    resolve: (_r, { input }, ctx) =>
      change(ctx, input, (control) => control.star(key(input), ctx.access.userId, true)),
  }),
  unstarJob: t.field({
    type: JobPayloadRef,
    description: 'Removes the current user’s star from a job (idempotent).',
    args: { input: t.arg({ type: JobRefInput, required: true, description: 'Which job.' }) },
    resolve: (_r, { input }, ctx) => change(ctx, input, (control) => control.star(key(input), ctx.access.userId, false)),
  }),
}));
