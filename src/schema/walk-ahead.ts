/**
 * A walk from a job (`descendants`, `ancestors`) as the store is asked for
 * it, and the shortcut for a lookup that asks nothing else of the job:
 * `job(projectUid:, uid:) { descendants(…) { … } }` reads the root and the
 * walk's page in one statement instead of two.
 */
import { type GraphQLObjectType, type GraphQLResolveInfo, getArgumentValues } from 'graphql';
import { BadInputError } from '../model/errors.js';
import type { Job } from '../model/job.js';
import type { JobKey, JobReadOptions, JobStore, LineagePage, LineageWalk } from '../store/job-store.js';
import type { LazyCount } from './builder.js';
import type { Context } from './context.js';
import { toStoreFilter } from './job-filter.js';
import { onlyWalkOf, readOptionsOf } from './selection.js';

/** The arguments of `descendants` and `ancestors` that a walk uses. */
export interface WalkArgs {
  maxDepth?: number | null;
  filter?: Parameters<typeof toStoreFilter>[0];
  first?: number | null;
  after?: string | null;
}

export function checkDepth(maxDepth: number | null | undefined) {
  if (maxDepth != null && maxDepth < 1) throw new BadInputError(`\`maxDepth\` must be at least 1; got ${maxDepth}.`);
}

/**
 * The store's request for a walk from `root`, as its field's arguments say;
 * the total is counted only when `countTotal` (its selection asks for it).
 * @throws BadInputError for a bad depth or filter
 */
export function walkRequest(root: JobKey, walk: LineageWalk, args: WalkArgs, read: JobReadOptions, countTotal: boolean): Parameters<JobStore['listLineage']>[0] {
  checkDepth(args.maxDepth);
  return {
    ...read,
    countTotal,
    root,
    walk,
    maxDepth: args.maxDepth,
    filter: toStoreFilter(args.filter),
    page: { first: args.first ?? 20, after: args.after },
  };
}

/** A walk's total: counted with the page when its selection asked for it, else (never, as selections go) on its own. */
export function walkTotal(ctx: Context, request: Parameters<JobStore['listLineage']>[0], page: LineagePage): LazyCount {
  return page.totalCount ?? (async () => (await ctx.store.listLineage({ ...request, countTotal: true })).totalCount!);
}

/**
 * For a job field whose selection is only the job's key and one walk: the
 * root, read with the walk's page in one statement, the page kept for the
 * walk's resolver (`Loaders.keptWalk`); null when the job does not exist (or
 * may not be seen). Undefined when the selection is anything else, or the
 * walk's arguments are refused: the job is then looked up as usual, and the
 * walk's resolver reports the refusal at its own path.
 */
export async function jobWithItsWalk(ctx: Context, key: JobKey, info: GraphQLResolveInfo): Promise<Job | null | undefined> {
  const ahead = onlyWalkOf(info);
  if (!ahead) return undefined;
  const field = (info.schema.getType('Job') as GraphQLObjectType).getFields()[ahead.walk]!;
  const read = readOptionsOf(ahead.read);
  let request: Parameters<JobStore['listLineage']>[0];
  try {
    request = walkRequest(key, ahead.walk, getArgumentValues(field, ahead.nodes[0]!, info.variableValues) as WalkArgs, read, ahead.totalCount);
  } catch {
    return undefined;
  }
  const page = await ctx.store.listLineage({ ...request, withRoot: true }).catch(() => undefined);
  if (!page) return undefined;
  if (page.root) ctx.loaders.keepWalk(page.root, ahead.responseName, read, page);
  return page.root ?? null;
}
