/** Loads what the graph draws: a project's jobs page by page (newest first, bounded), or a job's lineage. */
import { type LineageDirection, ViewerGraphPageDocument, type ViewerGraphPageQuery, ViewerLineageDocument } from '../gql/graphql.js';
import { request } from './api.js';
import type { GraphNode } from './graph/graph-renderer.js';

/** Projects with more jobs open on the newest this many (and say so). */
export const GRAPH_LIMIT = 5000;
const PAGE_SIZE = 100;

export interface ProjectGraph {
  project: { uid: string; title: string } | null;
  jobs: GraphNode[];
  /** Jobs the project has (may be more than `jobs`). */
  total: number;
}

/**
 * Reads the project's jobs a page at a time (the API's largest page is 100),
 * newest first, up to `limit`. `onPage`, if given, sees the graph so far after
 * each page (the same arrays, growing), so that the caller can draw early.
 */
export async function loadProjectGraph(projectUid: string, limit = GRAPH_LIMIT, onPage?: (graph: ProjectGraph) => void): Promise<ProjectGraph> {
  const jobs: GraphNode[] = [];
  let after: string | null = null;
  let total = 0;
  let project: ProjectGraph['project'] = null;
  for (;;) {
    const first = Math.min(PAGE_SIZE, limit - jobs.length);
    const data: ViewerGraphPageQuery = await request(ViewerGraphPageDocument, { projectUid, first, after, withCount: after === null });
    if (!data.project) return { project: null, jobs: [], total: 0 };
    project ??= { uid: data.project.uid, title: data.project.title };
    const page = data.project.jobs;
    if (page.totalCount != null) total = page.totalCount;
    for (const { node } of page.edges) jobs.push({ uid: node.uid, title: node.title, type: node.type, status: node.status, parents: node.parents.map((p) => p.uid) });
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor || jobs.length >= limit) break;
    onPage?.({ project, jobs, total: Math.max(total, jobs.length) });
    after = page.pageInfo.endCursor;
  }
  return { project, jobs, total: Math.max(total, jobs.length) };
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
