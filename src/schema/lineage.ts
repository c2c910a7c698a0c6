import { BadInputError, NotFoundError } from '../model/errors.js';
import type { Job } from '../model/job.js';
import type { JobKey, JobReadOptions, LineageWalk, SubgraphNode } from '../store/job-store.js';
import { builder, pageComplexity } from './builder.js';
import { toConnection } from './connection.js';
import type { Context } from './context.js';
import { uidInput } from './input-checks.js';
import { JobFilterInput } from './job-filter.js';
import { JobRef } from './job.js';
import { jobReadOptions, pageLookAhead } from './selection.js';
import { checkDepth, walkRequest, walkTotal } from './walk-ahead.js';

/** Largest `limit` of the `lineage` field (the `maxLineageNodes` limit of server/limits.ts). */
export const MAX_LINEAGE_NODES = 10_000;
export const DEFAULT_LINEAGE_NODES = 1_000;

export const LineageDirectionRef = builder.enumType('LineageDirection', {
  description: 'Which side of a job to walk.',
  values: {
    ANCESTORS: { value: 'ANCESTORS', description: 'Parents, their parents, and so on.' },
    DESCENDANTS: { value: 'DESCENDANTS', description: 'Children, their children, and so on.' },
    BOTH: { value: 'BOTH', description: 'Ancestors and descendants.' },
  } as const,
});

export const LineageRelationRef = builder.enumType('LineageRelation', {
  description: 'How a node of a lineage graph relates to its root.',
  values: {
    ROOT: { value: 'ROOT', description: 'The job the graph was asked for.' },
    ANCESTOR: { value: 'ANCESTOR', description: 'Upstream of the root.' },
    DESCENDANT: { value: 'DESCENDANT', description: 'Downstream of the root.' },
  } as const,
});

export const LineageConnectionRef = builder.connectionObject(
  { type: JobRef, name: 'LineageConnection', description: 'Ancestors or descendants of a job, nearest first.' },
  {
    name: 'LineageEdge',
    description: 'A job of a lineage page, with its cursor and distance.',
    fields: (t) => ({
      depth: t.int({ description: 'Shortest distance from the job: 1 = direct parent or child.', resolve: (edge) => (edge as unknown as { depth: number }).depth }),
    }),
  },
);

const LineageNodeRef = builder.objectRef<SubgraphNode>('LineageNode').implement({
  description: 'A job in a lineage graph and its distance from the root.',
  fields: (t) => ({
    job: t.field({ type: JobRef, description: 'The job.', resolve: (n) => n.job }),
    depth: t.exposeInt('depth', { description: '0 for the root, otherwise the shortest distance from it.' }),
    relation: t.field({ type: LineageRelationRef, description: 'Root, ancestor or descendant.', resolve: (n) => n.relation }),
  }),
});

const JobGraphEdgeRef = builder.objectRef<{ parentUid: string; childUid: string }>('JobEdge').implement({
  description: 'A parent → child connection between two jobs of the graph.',
  fields: (t) => ({
    parentUid: t.exposeString('parentUid', { description: 'Uid of the job whose output is used.' }),
    childUid: t.exposeString('childUid', { description: 'Uid of the job whose input uses it.' }),
  }),
});

const JobGraphRef = builder
  .objectRef<{ root: Job; nodes: SubgraphNode[]; edges: { parentUid: string; childUid: string }[]; truncated: boolean }>('JobGraph')
  .implement({
    description: 'The sub-graph around a job, as nodes and edges ready to draw.',
    fields: (t) => ({
      root: t.field({ type: JobRef, description: 'The job the graph was asked for.', resolve: (g) => g.root }),
      // `lineage` already multiplies by its node limit.
      nodes: t.field({ type: [LineageNodeRef], complexity: { field: 1, multiplier: 1 }, description: 'Root first, then by distance and uid.', resolve: (g) => g.nodes }),
      edges: t.field({ type: [JobGraphEdgeRef], complexity: { field: 1, multiplier: 1 }, description: 'Every connection between two nodes of the graph.', resolve: (g) => g.edges }),
      truncated: t.exposeBoolean('truncated', { description: 'True when `limit` cut the graph short.' }),
    }),
  });

function lineageField(walk: LineageWalk) {
  return (t: Parameters<Parameters<typeof builder.objectFields<typeof JobRef>>[1]>[0]) =>
    t.connection(
      {
        type: JobRef,
        description: walk === 'ancestors' ? 'Every job upstream of this one, nearest first.' : 'Every job downstream of this one, nearest first.',
        complexity: pageComplexity,
        args: {
          maxDepth: t.arg.int({ description: 'Stop this many steps away (1 = direct parents or children only).' }),
          filter: t.arg({ type: JobFilterInput, description: 'Only return jobs matching this (the walk still passes through the others).' }),
        },
        resolve: async (job, args, ctx, info) => {
          const read = jobReadOptions(info);
          const request = walkRequest({ projectUid: job.project_uid, uid: job.uid }, walk, args, read, pageLookAhead(info).totalCount);
          // Read with the root when the root was asked for nothing else (walk-ahead.ts).
          const page = ctx.loaders.keptWalk(job, String(info.path.key), read) ?? (await ctx.store.listLineage(request));
          ctx.loaders.primeJobs(
            page.edges.map((e) => e.node),
            read,
          );
          return toConnection(page, walkTotal(ctx, request, page));
        },
      },
      LineageConnectionRef,
    );
}

builder.objectFields(JobRef, (t) => ({
  parents: t.field({
    type: [JobRef],
    description: 'Jobs whose outputs feed this job, by uid.',
    resolve: (job, _args, ctx, info) => {
      const read = jobReadOptions(info);
      return ctx.loaders.keptNeighbours(job, 'parents', read) ?? ctx.loaders.parents(read).load(keyOfJob(job));
    },
  }),
  children: t.field({
    type: [JobRef],
    description: "Jobs fed by this job's outputs, by uid.",
    resolve: (job, _args, ctx, info) => {
      const read = jobReadOptions(info);
      return ctx.loaders.keptNeighbours(job, 'children', read) ?? ctx.loaders.children(read).load(keyOfJob(job));
    },
  }),
  ancestors: lineageField('ancestors')(t),
  descendants: lineageField('descendants')(t),
}));

function keyOfJob(job: { project_uid: string; uid: string }): JobKey {
  return { projectUid: job.project_uid, uid: job.uid };
}

builder.queryField('lineage', (t) =>
  t.field({
    type: JobGraphRef,
    description: 'The graph of ancestors and/or descendants around a job, bounded by depth and node count.',
    complexity: (args) => ({ field: 1, multiplier: lineageCostMultiplier(args.limit) }),
    args: {
      projectUid: t.arg.string({ required: true, description: 'Project uid.', ...uidInput('P') }),
      uid: t.arg.string({ required: true, description: 'Job uid.', ...uidInput('J') }),
      direction: t.arg({ type: LineageDirectionRef, defaultValue: 'BOTH', description: 'Which side to walk.' }),
      maxDepth: t.arg.int({ description: 'Steps to walk from the job; unbounded when omitted.' }),
      limit: t.arg.int({ description: `Most nodes to return besides the root (default ${DEFAULT_LINEAGE_NODES}, at most ${MAX_LINEAGE_NODES}).` }),
    },
    resolve: (_root, args, ctx, info) => resolveLineage(ctx, args, jobReadOptions(info)),
  }),
);

/**
 * The selection counts once per node the graph may hold. An out-of-range `limit` is
 * refused (`BAD_USER_INPUT`) before any work, so it costs one node, not a cost error.
 */
function lineageCostMultiplier(limit: number | null | undefined): number {
  const nodes = limit ?? DEFAULT_LINEAGE_NODES;
  return nodes < 0 || nodes > MAX_LINEAGE_NODES ? 1 : nodes;
}

async function resolveLineage(
  ctx: Context,
  args: { projectUid: string; uid: string; direction?: 'ANCESTORS' | 'DESCENDANTS' | 'BOTH' | null; maxDepth?: number | null; limit?: number | null },
  read: JobReadOptions,
) {
  checkDepth(args.maxDepth);
  const limit = args.limit ?? DEFAULT_LINEAGE_NODES;
  if (limit < 0 || limit > MAX_LINEAGE_NODES) throw new BadInputError(`\`limit\` must be between 0 and ${MAX_LINEAGE_NODES}; got ${limit}.`);
  // The root counts as a node of the graph but not against the limit.
  const graph = await ctx.store.findSubgraph({
    root: { projectUid: args.projectUid, uid: args.uid },
    direction: args.direction ?? 'BOTH',
    maxDepth: args.maxDepth,
    limit: limit + 1,
    ...read,
  });
  if (!graph) throw new NotFoundError(`Job ${args.projectUid}/${args.uid} does not exist.`);
  ctx.loaders.primeJobs(
    graph.nodes.map((n) => n.job),
    read,
  );
  return graph;
}
