import type { BenchContext } from './context.js';
import { say } from './context.js';
import { type Gateway, graphql } from './gateway.js';
import { sleep } from './stats.js';
import { type SubscriberPool, openSubscriberPool } from './ws-pool.js';

/** The subscription every bench subscriber runs: a status dashboard's selection. */
export const STATUS_SUBSCRIPTION = `subscription BenchStatus($projectUid: String, $jobUid: String) {
  jobStatusChanged(projectUid: $projectUid, jobUid: $jobUid) { cursor projectUid jobUid previousStatus status at job { uid status } }
}`;

/**
 * Opens `requests.length` subscriptions against `gateway` from worker
 * processes and waits until the gateway counts every one as active.
 */
export async function openSubscribers(
  ctx: BenchContext,
  gateway: Gateway,
  requests: { query: string; variables: Record<string, unknown> }[],
  label: string,
): Promise<SubscriberPool> {
  const started = performance.now();
  let opening = true;
  const ticker = (async () => {
    while (opening) {
      await sleep(3000);
      if (!opening) break;
      const active = (await gateway.scrape()).sum('graphql_active_subscriptions');
      say(`${label}: ${active.toLocaleString('en-US')}/${requests.length.toLocaleString('en-US')} subscriptions active`);
    }
  })();
  let pool: SubscriberPool;
  try {
    pool = await openSubscriberPool(gateway.wsUrl, requests, { workers: ctx.sizes.wsWorkers, concurrency: 100 });
    const deadline = Date.now() + 120_000;
    while ((await gateway.scrape()).sum('graphql_active_subscriptions') < requests.length) {
      if (Date.now() > deadline) throw new Error(`${label}: the gateway did not report ${requests.length} active subscriptions in 120 s`);
      await sleep(100);
    }
  } finally {
    opening = false;
    await ticker;
  }
  say(`${label}: ${requests.length.toLocaleString('en-US')} subscriptions open in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return pool;
}

/** Status moves that a job can make forever: BUILDING ↔ QUEUED (entering from a terminal status or QUEUED). */
export function nextStatus(current: string): 'BUILDING' | 'QUEUED' {
  return current.toUpperCase() === 'BUILDING' ? 'QUEUED' : 'BUILDING';
}

const TOGGLEABLE = ['COMPLETED', 'KILLED', 'FAILED', 'BUILDING', 'QUEUED'];

/** Jobs of `projectUid` whose status can toggle BUILDING ↔ QUEUED, with their current status. */
export async function toggleableJobs(url: string, projectUid: string, count: number): Promise<{ uid: string; status: string }[]> {
  const found: { uid: string; status: string }[] = [];
  let after: string | null = null;
  while (found.length < count) {
    const data: { jobs: { edges: { node: { uid: string; status: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await graphql(
      url,
      `query BenchToggleable($projectUid: String!, $after: String) {
        jobs(filter: { projectUid: $projectUid }, orderBy: [{ field: UID, direction: ASC }], first: 100, after: $after) {
          edges { node { uid status } } pageInfo { hasNextPage endCursor }
        }
      }`,
      { projectUid, after },
    );
    for (const { node } of data.jobs.edges) if (TOGGLEABLE.includes(node.status)) found.push(node);
    if (!data.jobs.pageInfo.hasNextPage) break;
    after = data.jobs.pageInfo.endCursor;
  }
  return found.slice(0, count);
}

/** One `setJobStatus` per target, all in one request (mutations run one after the other, each its own transaction). */
export function batchedStatusMutation(targets: { projectUid: string; uid: string; status: string }[]): string {
  const fields = targets.map((t, i) => `m${i}: setJobStatus(input: { projectUid: "${t.projectUid}", uid: "${t.uid}", status: ${t.status} }) { job { uid } }`);
  return `mutation BenchSetStatus { ${fields.join(' ')} }`;
}
