/** Loads what the graph draws: a project's jobs page by page (newest first, bounded), or a job's lineage. */
import { type LineageDirection, ViewerGraphPageDocument, type ViewerGraphPageQuery, ViewerLineageDocument } from '../gql/graphql.js';
import { request } from './api.js';
import type { GraphNode } from './graph/graph-renderer.js';

/** Projects with more jobs open on the newest this many (and say so). */
export const GRAPH_LIMIT = 5000;
const PAGE_SIZE = 100;
/** The first request is smaller: it is what the first paint waits for. */
const FIRST_PAGE_SIZE = 40;

export interface ProjectGraph {
  project: { uid: string; title: string } | null;
  jobs: GraphNode[];
  /** Jobs the project has (may be more than `jobs`). */
  total: number;
}

/** Parallel streams reading a project of at most `limit` jobs (each pages by cursor through its own span of creation times). */
const STREAMS = 4;

type Page = NonNullable<ViewerGraphPageQuery['project']>['jobs'];
const toNode = ({ node }: Page['edges'][number]): GraphNode => ({ uid: node.uid, title: node.title, type: node.type, status: node.status, parents: node.parents.map((p) => p.uid) });

/**
 * Reads the project's jobs, newest first, up to `limit`. The API's largest
 * page is 100, so 5,000 jobs are 50 pages: when the whole project fits in
 * `limit`, the first request also reads the oldest and newest creation times,
 * and STREAMS cursor-paged streams each read one span of creation times at
 * once (spans overlap by a millisecond, so none falls between two; the
 * overlap is dropped by uid). A larger project is read newest first, one page
 * after another, until `limit`. `onPage`, if given, sees the jobs read so far
 * after each page (in arrival order), so that the caller can draw early.
 */
export async function loadProjectGraph(projectUid: string, limit = GRAPH_LIMIT, onPage?: (graph: ProjectGraph) => void): Promise<ProjectGraph> {
  const arrived: GraphNode[] = [];
  let total = 0;
  let project: ProjectGraph['project'] = null;
  const read = async (variables: { first: number; after: string | null; filter?: { createdAfter: string; createdBefore: string } }, first = false) => {
    const data: ViewerGraphPageQuery = await request(ViewerGraphPageDocument, { projectUid, withCount: first, withBounds: first, ...variables });
    if (!data.project) return null;
    project ??= { uid: data.project.uid, title: data.project.title };
    return data.project;
  };

  const head = await read({ first: Math.min(FIRST_PAGE_SIZE, limit), after: null }, true);
  if (!head) return { project: null, jobs: [], total: 0 };
  total = head.jobs.totalCount ?? 0;
  const firstPage = head.jobs.edges.map(toNode);
  arrived.push(...firstPage);
  const report = () => onPage?.({ project, jobs: arrived, total: total || arrived.length });
  if (!head.jobs.pageInfo.hasNextPage || !head.jobs.pageInfo.endCursor || arrived.length >= limit) return { project, jobs: arrived, total: Math.max(total, arrived.length) };
  report();

  const oldest = head.oldest?.edges[0]?.node.createdAt;
  const newest = head.newest?.edges[0]?.node.createdAt;
  if (total <= limit && oldest && newest) {
    const from = Date.parse(oldest);
    const to = Date.parse(newest);
    const at = (i: number) => from + ((to - from) * i) / STREAMS;
    // Newest span first, so that the streams' lists joined in order are newest first.
    const spans = Array.from({ length: STREAMS }, (_, i) => ({
      createdAfter: new Date(at(STREAMS - 1 - i) - 1).toISOString(),
      createdBefore: new Date(at(STREAMS - i) + 1).toISOString(),
    }));
    const lists = await Promise.all(
      spans.map(async (filter) => {
        const list: GraphNode[] = [];
        let after: string | null = null;
        for (;;) {
          const page = await read({ first: PAGE_SIZE, after, filter });
          if (!page) break;
          const nodes = page.jobs.edges.map(toNode);
          list.push(...nodes);
          arrived.push(...nodes);
          report();
          if (!page.jobs.pageInfo.hasNextPage || !page.jobs.pageInfo.endCursor) break;
          after = page.jobs.pageInfo.endCursor;
        }
        return list;
      }),
    );
    const seen = new Set<string>();
    const jobs: GraphNode[] = [];
    for (const job of [...firstPage, ...lists.flat()]) {
      if (seen.has(job.uid)) continue;
      seen.add(job.uid);
      jobs.push(job);
    }
    return { project, jobs: jobs.slice(0, limit), total: Math.max(total, jobs.length) };
  }

  // Over the limit: the newest `limit`, page after page.
  let after: string | null = head.jobs.pageInfo.endCursor;
  for (;;) {
    const page = await read({ first: Math.min(PAGE_SIZE, limit - arrived.length), after });
    if (!page) break;
    arrived.push(...page.jobs.edges.map(toNode));
    if (!page.jobs.pageInfo.hasNextPage || !page.jobs.pageInfo.endCursor || arrived.length >= limit) break;
    report();
    after = page.jobs.pageInfo.endCursor;
  }
  return { project, jobs: arrived, total: Math.max(total, arrived.length) };
}

export interface LineageGraph {
  jobs: GraphNode[];
  truncated: boolean;
}

export async function loadLineage(projectUid: string, uid: string, direction: LineageDirection, maxDepth: number | null): Promise<LineageGraph> {
  const data = await request(ViewerLineageDocument, { projectUid, uid, direction, maxDepth, limit: GRAPH_LIMIT });
  const inside = new Set(data.lineage.nodes.map((node) => node.job.uid));
  const jobs = data.lineage.nodes.map(({ job }) => ({ uid: job.uid, title: job.title, type: job.type, status: job.status, parents: job.parents.map((p) => p.uid).filter((p) => inside.has(p)) }));
  return { jobs, truncated: data.lineage.truncated };
}
