import type { JobBuildError, JobLastAccessed, JobWorkflowInfo, RunError, UiTileImage } from '../model/job-records.js';
import { builder } from './builder.js';

export const RunErrorRef = builder.objectRef<RunError>('RunError').implement({
  description: 'A runtime error (or warning) the job recorded.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'What went wrong.' }),
    warning: t.exposeBoolean('warning', { description: 'True for a warning rather than an error.' }),
  }),
});

export const JobBuildErrorRef = builder.objectRef<JobBuildError>('JobBuildError').implement({
  description: 'A configuration error that keeps the job from being queued; there is no message, build one from type, loc and ctx.',
  fields: (t) => ({
    type: t.exposeString('type', { description: 'Validation error code, e.g. `missing` or `value_error`.' }),
    loc: t.field({ type: ['String'], description: 'Path to the bad property (numbers as strings).', resolve: (e) => e.loc.map(String) }),
    input: t.field({ type: 'JSON', nullable: true, description: 'The offending value.', resolve: (e) => e.input ?? null }),
    ctx: t.field({ type: 'JSON', description: 'Extra context of the error.', resolve: (e) => e.ctx }),
    inputType: t.exposeString('input_type', { description: 'Type of the offending value.' }),
  }),
});

export const UiTileImageRef = builder.objectRef<UiTileImage>('UiTileImage').implement({
  description: "An image shown on the job's tile in the UI.",
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Image name.' }),
    fileid: t.exposeString('fileid', { description: 'Asset id of the image.' }),
    numRows: t.exposeInt('num_rows', { nullable: true, description: 'Rows of a tiled image.' }),
    numCols: t.exposeInt('num_cols', { nullable: true, description: 'Columns of a tiled image.' }),
  }),
});

export const JobLastAccessedRef = builder.objectRef<JobLastAccessed>('JobLastAccessed').implement({
  description: 'Who last opened the job in the UI.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'User name.' }),
    accessedAt: t.field({ type: 'DateTime', description: 'When.', resolve: (a) => a.accessed_at }),
  }),
});

export const JobWorkflowInfoRef = builder.objectRef<JobWorkflowInfo>('JobWorkflowInfo').implement({
  description: 'The workflow this job was created from.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'Workflow id.' }),
    jobId: t.exposeString('jobId', { description: 'Key of this job within the workflow, e.g. `J3`.' }),
    run: t.exposeInt('run', { description: 'Run number of the workflow.' }),
  }),
});
