import type { InputResult, InputSlot, JobConnection, JobInput, JobOutput, JobSpec, OutputResult, OutputSlot, ResourceSpec } from '../model/job-spec.js';
import { builder } from './builder.js';

type Named<T> = T & { name: string };

export const ResourceSpecRef = builder.objectRef<ResourceSpec>('ResourceSpec').implement({
  description: 'Resources a job type needs to run.',
  fields: (t) => ({
    cpu: t.exposeInt('cpu', { description: 'CPU cores.' }),
    gpu: t.exposeInt('gpu', { description: 'GPUs.' }),
    ram: t.exposeInt('ram', { description: 'RAM, as a number of 8 GiB slots.' }),
    ssd: t.exposeBoolean('ssd', { description: 'Whether SSD scratch space is needed.' }),
  }),
});

export const InputSlotRef = builder.objectRef<InputSlot>('InputSlot').implement({
  description: 'A low-level slot an input expects from a connected output.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Field prefix in the dataset, e.g. `background_blob`.' }),
    dtype: t.exposeString('dtype', { description: 'Result datatype, e.g. `ctf` or `alignments2D`.' }),
    required: t.exposeBoolean('required', { description: 'Whether the slot must be filled.' }),
  }),
});

export const InputResultRef = builder.objectRef<InputResult>('InputResult').implement({
  description: 'One slot-level binding of a connection: which result of which job fills a slot.',
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true, description: 'Input slot name; null for passthrough slots.' }),
    dtype: t.exposeString('dtype', { description: 'Datatype of the result.' }),
    jobUid: t.exposeString('job_uid', { description: 'Job the result comes from (may differ from the connection job).' }),
    output: t.exposeString('output', { description: "That job's output name." }),
    result: t.exposeString('result', { description: 'Result name within that output.' }),
    version: t.string({ description: 'Result version: a number, or `F` for the final version.', resolve: (r) => String(r.version) }),
  }),
});

export const ConnectionRef = builder.objectRef<JobConnection>('InputConnection').implement({
  description: "One parent output feeding an input: the edge this job's lineage is built from.",
  fields: (t) => ({
    jobUid: t.exposeString('job_uid', { description: 'Uid of the parent job.' }),
    output: t.exposeString('output', { description: 'Output name on the parent, e.g. `particles`.' }),
    results: t.field({ type: [InputResultRef], description: 'Slot-level bindings.', resolve: (c) => c.results }),
  }),
});

export const JobInputRef = builder.objectRef<Named<JobInput>>('JobInput').implement({
  description: 'A named input of a job and what is connected to it.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Input name, e.g. `particles`.' }),
    type: t.exposeString('type', { description: 'Data type accepted, e.g. `particle`, `volume`, `exposure`.' }),
    title: t.exposeString('title', { description: 'Human title.' }),
    description: t.exposeString('description', { description: 'Human description.' }),
    slots: t.field({ type: [InputSlotRef], description: 'Low-level slots expected.', resolve: (i) => i.slots }),
    countMin: t.exposeInt('count_min', { description: 'Minimum number of connections.' }),
    countMax: t.int({
      nullable: true,
      description: 'Maximum number of connections; null means unbounded (`inf` upstream).',
      resolve: (i) => (i.count_max === 'inf' ? null : i.count_max),
    }),
    repeatAllowed: t.exposeBoolean('repeat_allowed', { description: 'Whether the same output may be connected twice.' }),
    connections: t.field({ type: [ConnectionRef], description: 'Connected parent outputs, in order.', resolve: (i) => i.connections }),
  }),
});

export const OutputSlotRef = builder.objectRef<OutputSlot>('OutputSlot').implement({
  description: 'A low-level result definition of an output.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Slot name.' }),
    dtype: t.exposeString('dtype', { description: 'Result datatype.' }),
  }),
});

export const OutputResultRef = builder.objectRef<OutputResult>('OutputResult').implement({
  description: 'A concrete result of an output, with its versions on disk.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Result name.' }),
    dtype: t.exposeString('dtype', { description: 'Result datatype.' }),
    versions: t.exposeIntList('versions', { description: 'Available intermediate versions.' }),
    metafiles: t.exposeStringList('metafiles', { description: 'Dataset file per version, relative to the project directory.' }),
    numItems: t.exposeIntList('num_items', { description: 'Rows per metafile.' }),
    passthrough: t.exposeBoolean('passthrough', { description: 'Copied unchanged from an input.' }),
  }),
});

export const JobOutputRef = builder.objectRef<Named<JobOutput>>('JobOutput').implement({
  description: 'A named output of a job; empty until the job has run.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Output name, e.g. `particles`.' }),
    type: t.exposeString('type', { description: 'Data type produced.' }),
    title: t.exposeString('title', { description: 'Human title.' }),
    description: t.exposeString('description', { description: 'Human description.' }),
    slots: t.field({ type: [OutputSlotRef], description: 'Low-level result definitions.', resolve: (o) => o.slots }),
    passthrough: t.exposeString('passthrough', { nullable: true, description: 'Input whose data this output passes through.' }),
    results: t.field({ type: [OutputResultRef], description: 'Concrete results.', resolve: (o) => o.results }),
    numItems: t.exposeInt('num_items', { description: 'Rows in the final version.' }),
    image: t.exposeString('image', { nullable: true, description: 'Asset id of the thumbnail.' }),
    summary: t.field({ type: 'JSON', description: 'Dataset summary.', resolve: (o) => o.summary }),
    latestSummaryStats: t.field({ type: 'JSON', description: 'Extra summary statistics.', resolve: (o) => o.latest_summary_stats }),
  }),
});

const named = <T>(map: Record<string, T>): Named<T>[] => Object.entries(map).map(([name, value]) => ({ ...value, name }));

export const JobSpecRef = builder.objectRef<JobSpec>('JobSpec').implement({
  description: "What the job is: its type, parameters, inputs and outputs.",
  fields: (t) => ({
    type: t.exposeString('type', { description: 'Job type key, e.g. `homo_abinit`.' }),
    params: t.field({ type: 'JSON', description: 'Parameters; keys and value types depend on the job type.', resolve: (s) => s.params }),
    inputs: t.field({ type: [JobInputRef], description: 'Inputs, each with its connections.', resolve: (s) => named(s.inputs) }),
    outputs: t.field({ type: [JobOutputRef], description: 'Outputs, each with its results.', resolve: (s) => named(s.outputs) }),
    uiTileWidth: t.exposeInt('ui_tile_width', { description: 'Width of the job tile in the UI.' }),
    uiTileHeight: t.exposeInt('ui_tile_height', { description: 'Height of the job tile in the UI.' }),
    resourceSpec: t.field({ type: ResourceSpecRef, description: 'Resources needed.', resolve: (s) => s.resource_spec }),
  }),
});
