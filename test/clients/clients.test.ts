import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client/core';
import type { Client as SseClient } from 'graphql-sse';
import type { Client as WsClient } from 'graphql-ws';
import { type BrowserContext, chromium } from 'playwright-core';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobgraphApolloClient, createJobgraphCache } from '../../docs/clients/apollo-client.js';
import { createJobgraphSseClient, subscribeResumable as subscribeSse } from '../../docs/clients/graphql-sse.js';
import { createJobgraphWsClient, cursorOf, subscribeResumable as subscribeWs } from '../../docs/clients/graphql-ws.js';
import { createJobgraphUrqlClient } from '../../docs/clients/urql.js';
import { generateProject } from '../../src/sources/synthetic/generate.js';
import { loadProjects } from '../../src/sources/synthetic/load-dataset.js';
import { openStore } from '../../src/store/open-store.js';
import { type ServerProcess, spawnServer } from '../helpers/process.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Under CI the browser client must run: a missing Chromium fails the test instead of skipping it. */
const BROWSER = existsSync(CHROMIUM) || process.env.CI === 'true';

/** As the recipes ask: `$since` passed to the field, `cursor` selected. */
const SUBSCRIPTION = 'subscription Live($projectUid: String!, $since: String) { jobStatusChanged(projectUid: $projectUid, since: $since) { cursor jobUid status job { id status } } }';
const JOBS_PAGE = gql`
  query JobsPage($first: Int!, $after: String) {
    jobs(first: $first, after: $after) {
      edges { cursor node { id uid status } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

async function until(condition: () => boolean | Promise<boolean>, what: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function post(url: string, query: string, variables: Record<string, unknown> = {}): Promise<{ data?: any; errors?: unknown[] }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: any; errors?: unknown[] };
}

/** Moves a job between BUILDING and QUEUED (a cycle the lifecycle allows) and returns the event's cursor. */
async function move(url: string, uid: string, status: 'BUILDING' | 'QUEUED'): Promise<string> {
  const result = await post(url, 'mutation($input: SetJobStatusInput!) { setJobStatus(input: $input) { event { cursor } } }', { input: { projectUid: 'P1', uid, status } });
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.setJobStatus.event.cursor as string;
}

describe('popular clients against a running gateway, by the recipes in docs/clients', () => {
  let dir: string;
  let db: string;
  let gateway: ServerProcess;
  const processes: ServerProcess[] = [];
  /** Completed jobs of P1, each moved by one step of the tests. */
  let jobs: string[];
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobgraph-clients-'));
    db = join(dir, 'jobgraph.db');
    const store = await openStore({ db });
    const bundle = generateProject({ projectUid: 'P1', jobs: 60, seed: 7 });
    await loadProjects(store, [bundle]);
    jobs = bundle.jobs.filter((job) => job.status === 'completed' && !job.deleted).map((job) => job.uid as string);
    await store.close();
    gateway = await spawnServer(['--db', db]);
    processes.push(gateway);
  }, 120_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
    await Promise.all(processes.map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  describe('queries and their caches', () => {
    it('Apollo Client: pages merge without duplicates, and `... on Node` fragments match through possibleTypes', async () => {
      const client = createJobgraphApolloClient({ url: gateway.url });
      cleanups.push(() => client.stop());
      // The next page through fetchMore, as a paginated list asks for it; relayStylePagination merges it in.
      const first = await client.query({ query: JOBS_PAGE, variables: { first: 5 } });
      const list = client.watchQuery({ query: JOBS_PAGE, variables: { first: 5 } });
      await list.fetchMore({ variables: { after: first.data.jobs.pageInfo.endCursor } });
      const merged = client.readQuery({ query: JOBS_PAGE, variables: { first: 5 } });
      const direct = await post(gateway.url, 'query { jobs(first: 10) { edges { node { id } } } }');
      const ids = merged.jobs.edges.map((edge: { node: { id: string } }) => edge.node.id);
      expect(ids).toEqual(direct.data.jobs.edges.map((edge: { node: { id: string } }) => edge.node.id));
      expect(new Set(ids).size).toBe(10);

      const node = await client.query({ query: gql`query Node($id: ID!) { node(id: $id) { id ... on Job { uid status } } }`, variables: { id: ids[0] } });
      expect(node.data.node).toMatchObject({ __typename: 'Job', id: ids[0], uid: merged.jobs.edges[0].node.uid });
    });

    it('urql with its defaults: queries go out as GET without a custom header, and graphcache merges pages', async () => {
      const requests: string[] = [];
      // The recipe's client as it is; its fetch is only watched (method and header names of each request).
      const traced = createJobgraphUrqlClient({
        url: gateway.url,
        fetch: (input, init) => {
          requests.push(`${init?.method ?? 'GET'} ${Object.keys((init?.headers as Record<string, string>) ?? {}).map((h) => h.toLowerCase()).sort().join(',')}`);
          return fetch(input, init);
        },
      });
      const first = await traced.query(JOBS_PAGE, { first: 5 }).toPromise();
      expect(first.error).toBeUndefined();
      const second = await traced.query(JOBS_PAGE, { first: 5, after: first.data.jobs.pageInfo.endCursor }).toPromise();
      expect(second.error).toBeUndefined();
      const ids = second.data.jobs.edges.map((edge: { node: { id: string } }) => edge.node.id);
      expect(ids).toHaveLength(10);
      expect(new Set(ids).size).toBe(10);
      expect(requests).toEqual(['GET accept', 'GET accept']);
    });

    it("Apollo Client's default HttpLink carries a subscription over multipart HTTP, and its events update the cached job", async () => {
      const cache = new InMemoryCache();
      const client = new ApolloClient({ link: new HttpLink({ uri: gateway.url }), cache });
      cleanups.push(() => client.stop());
      const received: string[] = [];
      const subscription = client.subscribe({ query: gql(SUBSCRIPTION), variables: { projectUid: 'P1' } }).subscribe({
        next: (result) => void received.push(result.data.jobStatusChanged.cursor),
      });
      cleanups.push(() => subscription.unsubscribe());
      const uid = jobs[0]!;
      let cursor = '';
      for (let i = 0; received.length === 0 && i < 100; i++) {
        cursor = await move(gateway.url, uid, i % 2 === 0 ? 'BUILDING' : 'QUEUED');
        await until(() => received.length > 0, () => 'an event', 300).catch(() => {});
      }
      await until(() => received.includes(cursor), () => `event ${cursor} (have ${received.join(', ')})`);
      const last = await post(gateway.url, `query { job(projectUid: "P1", uid: "${uid}") { id status } }`);
      expect(cache.readFragment({ id: cache.identify({ __typename: 'Job', id: last.data.job.id }), fragment: gql`fragment Status on Job { status }` })).toMatchObject({ status: last.data.job.status });
      subscription.unsubscribe();
    });
  });

  describe('subscriptions resume across a gateway restart by their recipe', () => {
    interface Subscriber {
      name: string;
      cursors: string[];
      errors: unknown[];
    }
    const subscribers: Subscriber[] = [];
    const make = (name: string): Subscriber => {
      const subscriber = { name, cursors: [], errors: [] };
      subscribers.push(subscriber);
      return subscriber;
    };
    let browser: BrowserContext | undefined;

    // Reported as skipped only where Chromium is missing (outside CI).
    if (!BROWSER) it.skip(`includes a native EventSource in Chromium (not installed at ${CHROMIUM})`, () => {});

    it('receives the event committed while the gateway was down exactly once, in every client', async () => {
      const variables = { projectUid: 'P1' };
      const options = { webSocketImpl: WebSocket };

      const ws: WsClient = createJobgraphWsClient(gateway.wsUrl, options);
      cleanups.push(() => ws.dispose());
      const plainWs = make('graphql-ws');
      cleanups.push(subscribeWs(ws, { query: SUBSCRIPTION, variables }, { next: (r) => void plainWs.cursors.push(cursorOf(r)!), error: (e) => void plainWs.errors.push(e), complete: () => {} }));

      const sse: SseClient<false> = createJobgraphSseClient(gateway.url);
      cleanups.push(() => sse.dispose());
      const plainSse = make('graphql-sse');
      cleanups.push(subscribeSse(sse, { query: SUBSCRIPTION, variables }, { next: (r) => void plainSse.cursors.push(cursorOf(r)!), error: (e) => void plainSse.errors.push(e), complete: () => {} }));

      for (const [name, transport] of [
        ['Apollo Client over graphql-ws', { ws: createJobgraphWsClient(gateway.wsUrl, options) }],
        ['Apollo Client over graphql-sse', { sse: createJobgraphSseClient(gateway.url) }],
      ] as const) {
        cleanups.push(() => ('ws' in transport ? transport.ws.dispose() : transport.sse.dispose()));
        const client = createJobgraphApolloClient({ url: gateway.url, subscriptions: transport });
        cleanups.push(() => client.stop());
        const subscriber = make(name);
        const subscription = client.subscribe({ query: gql(SUBSCRIPTION), variables }).subscribe({
          next: (result) => void subscriber.cursors.push(cursorOf(result)!),
          error: (error) => void subscriber.errors.push(error),
        });
        cleanups.push(() => subscription.unsubscribe());
      }

      const urqlWs = createJobgraphWsClient(gateway.wsUrl, options);
      cleanups.push(() => urqlWs.dispose());
      const urql = createJobgraphUrqlClient({ url: gateway.url, ws: urqlWs });
      const urqlSubscriber = make('urql over graphql-ws');
      const urqlSubscription = urql.subscription(SUBSCRIPTION, variables).subscribe((result) => {
        if (result.error) urqlSubscriber.errors.push(result.error);
        else urqlSubscriber.cursors.push(cursorOf(result)!);
      });
      cleanups.push(() => urqlSubscription.unsubscribe());

      let page: Awaited<ReturnType<BrowserContext['newPage']>> | undefined;
      const browserSubscriber = BROWSER ? make('EventSource in Chromium') : undefined;
      if (browserSubscriber) {
        expect(existsSync(CHROMIUM), `Chromium is required under CI (${CHROMIUM})`).toBe(true);
        const profile = mkdtempSync(join(tmpdir(), 'jobgraph-chromium-'));
        cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
        browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
        cleanups.push(() => browser?.close());
        page = await browser.newPage();
        // The recipe, served as a page of the gateway's own origin; its EventSource talks to the real gateway.
        const pageUrl = new URL('/clients/event-source.html', gateway.url).href;
        await page.route(pageUrl, (route) => route.fulfill({ contentType: 'text/html', body: readFileSync(new URL('../../docs/clients/event-source.html', import.meta.url), 'utf8') }));
        await page.goto(pageUrl);
      }
      const readBrowser = async () => {
        if (page && browserSubscriber) browserSubscriber.cursors = await page.evaluate(() => ((window as unknown as { jobgraphEvents?: { cursor: string }[] }).jobgraphEvents ?? []).map((e) => e.cursor));
      };
      const report = () => subscribers.map((s) => `${s.name}: ${s.cursors.length} events${s.errors.length ? `, errors ${JSON.stringify(s.errors.map(String))}` : ''}`).join('; ');
      const everyone = async (cursor: string) => {
        await readBrowser();
        return subscribers.every((s) => s.cursors.includes(cursor));
      };

      // Until every subscription is live, an event may reach only some: keep moving a job until all saw one.
      const uid = jobs[1]!;
      let seen = '';
      for (let i = 0; i < 100 && !seen; i++) {
        const cursor = await move(gateway.url, uid, i % 2 === 0 ? 'BUILDING' : 'QUEUED');
        await until(() => everyone(cursor), report, 500).then(
          () => (seen = cursor),
          () => {},
        );
      }
      expect(seen, report()).not.toBe('');

      // The gateway stops; a change is committed through another gateway on the same database; the first comes back on its port.
      const port = new URL(gateway.url).port;
      expect(await gateway.stop()).toBe(0);
      const other = await spawnServer(['--db', db]);
      processes.push(other);
      const missed = await move(other.url, jobs[2]!, 'BUILDING');
      expect(await other.stop()).toBe(0);
      gateway = await spawnServer(['--db', db, '--port', port]);
      processes.push(gateway);
      expect(new URL(gateway.url).port).toBe(port);

      await until(() => everyone(missed), () => `the missed event ${missed} in every client (${report()})\n${gateway.output().slice(-3000)}`, 45_000);
      const live = await move(gateway.url, jobs[3]!, 'BUILDING');
      await until(() => everyone(live), () => `the next live event in every client (${report()})`);
      await readBrowser();

      // Each client: every event once, in log order, the missed one included.
      const outcome = Object.fromEntries(
        subscribers.map((s) => {
          const after = s.cursors.slice(s.cursors.indexOf(seen));
          return [s.name, { afterSeen: after, duplicates: s.cursors.length - new Set(s.cursors).size, errors: s.errors.length }];
        }),
      );
      const expected = Object.fromEntries(subscribers.map((s) => [s.name, { afterSeen: [seen, missed, live], duplicates: 0, errors: 0 }]));
      expect(outcome).toEqual(expected);
    }, 240_000);
  });
});
