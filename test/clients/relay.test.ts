import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GraphQLTaggedNode, type OperationType, fetchQuery, requestSubscription } from 'relay-runtime';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { createJobgraphWsClient } from '../../docs/clients/graphql-ws.js';
import { createJobgraphRelayEnvironment } from '../../docs/clients/relay/environment.js';
import { seedTwoProjects } from '../helpers/dataset.js';
import { startTestServer } from '../helpers/server.js';
import { createTestStore } from '../helpers/stores.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RECIPE = join(ROOT, 'docs/clients/relay');

describe('the Relay recipe (docs/clients/relay)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobgraph-relay-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('compiles against schema.graphql with its config, typing DateTime and JSON by customScalarTypes', () => {
    for (const file of readdirSync(RECIPE).filter((name) => name.endsWith('.ts'))) copyFileSync(join(RECIPE, file), join(dir, file));
    // The recipe's config as it is, pointed at this checkout's schema.
    const config = JSON.parse(readFileSync(join(RECIPE, 'relay.config.json'), 'utf8')) as { schema: string; customScalarTypes: Record<string, string> };
    expect(config.customScalarTypes).toEqual({ DateTime: 'string', JSON: 'unknown' });
    writeFileSync(join(dir, 'relay.config.json'), JSON.stringify({ ...config, schema: join(RECIPE, config.schema) }));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));

    const result = spawnSync(join(ROOT, 'node_modules/.bin/relay-compiler'), [], { cwd: dir, encoding: 'utf8' });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);

    const generated = join(dir, '__generated__');
    expect(readdirSync(generated).sort()).toEqual([
      'JobsPagePaginationQuery.graphql.ts',
      'JobsPageQuery.graphql.ts',
      'JobsPageStatusSubscription.graphql.ts',
      'JobsPage_project.graphql.ts',
    ]);
    const fragment = readFileSync(join(generated, 'JobsPage_project.graphql.ts'), 'utf8');
    expect(fragment).toMatch(/readonly createdAt: string;/);
    expect(fragment).toMatch(/readonly params: unknown;/);
    expect(fragment).not.toMatch(/: any\b/);
    const subscription = readFileSync(join(generated, 'JobsPageStatusSubscription.graphql.ts'), 'utf8');
    expect(subscription).toMatch(/readonly at: string;/);
    expect(subscription).toMatch(/readonly cursor: string;/);
  });

  it('runs the compiled query and subscription through the recipe environment against a gateway', async () => {
    const { store, dispose } = await createTestStore('sqlite');
    await seedTwoProjects(store, [40, 10]);
    const server = await startTestServer(store);
    const ws = createJobgraphWsClient(server.wsUrl, { webSocketImpl: WebSocket });
    try {
      const environment = createJobgraphRelayEnvironment({ url: server.url, ws });
      const artifact = async (name: string) => ((await import(join(dir, '__generated__', `${name}.graphql.ts`))) as { default: GraphQLTaggedNode }).default;
      const page = (await fetchQuery<OperationType>(environment, await artifact('JobsPageQuery'), { projectUid: 'P1', first: 5 }).toPromise()) as { project: { uid: string } };
      expect(page.project.uid).toBe('P1');

      const events: { cursor: string }[] = [];
      const subscription = requestSubscription(environment, {
        subscription: await artifact('JobsPageStatusSubscription'),
        variables: { projectUid: 'P1' },
        onNext: (response) => void events.push((response as { jobStatusChanged: { cursor: string } }).jobStatusChanged),
      });
      const completed = (await (
        await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ jobs(first: 1, filter: { projectUid: "P1", status: [COMPLETED] }) { edges { node { uid } } } }' }) })
      ).json()) as { data: { jobs: { edges: { node: { uid: string } }[] } } };
      const job = completed.data.jobs.edges[0]!.node;
      const deadline = Date.now() + 20_000;
      for (let i = 0; events.length === 0 && Date.now() < deadline; i++) {
        await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `mutation { setJobStatus(input: { projectUid: "P1", uid: "${job!.uid}", status: ${i % 2 === 0 ? 'BUILDING' : 'QUEUED'} }) { job { id } } }` }),
        });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(events.length).toBeGreaterThan(0);
      subscription.dispose();
    } finally {
      await ws.dispose();
      await server.stop();
      await dispose();
    }
  });
});
