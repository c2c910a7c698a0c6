import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../src/sources/synthetic/generate.js';
import { loadProjects } from '../../src/sources/synthetic/load-dataset.js';
import { openStore } from '../../src/store/open-store.js';
import { JobStatusChangedDocument, SetJobStatusDocument } from '../gql/graphql.js';
import { execute, expectData } from '../helpers/client.js';
import { subscribe, wsClient } from '../helpers/live.js';
import { type ServerProcess, spawnServer } from '../helpers/process.js';

describe('resuming across a gateway restart', () => {
  let dir: string;
  let db: string;
  const servers: ServerProcess[] = [];
  let targets: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobgraph-restart-'));
    db = join(dir, 'jobgraph.db');
    const store = await openStore({ db });
    const bundle = generateProject({ projectUid: 'P1', jobs: 40, seed: 5 });
    await loadProjects(store, [bundle]);
    targets = bundle.jobs.filter((j) => j.status === 'completed' && !j.deleted).map((j) => j.uid as string).slice(0, 5);
    await store.close();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  const move = async (url: string, uid: string, status: 'BUILDING' | 'QUEUED') =>
    expectData(await execute(url, SetJobStatusDocument, { input: { projectUid: 'P1', uid, status } })).setJobStatus.event.cursor;

  it('delivers every event missed while the client was away and the server restarted, in order, then live ones', async () => {
    const a = await spawnServer(['--db', db]);
    servers.push(a);
    const first = wsClient(a.wsUrl);
    const sub = subscribe(first, JobStatusChangedDocument, { projectUid: 'P1' });
    // Until the first event arrives, the subscription may not be live yet: retry on a fresh job.
    let seen: string | undefined;
    for (let i = 0; i < 50 && !seen; i++) {
      await move(a.url, targets[0]!, i % 2 === 0 ? 'BUILDING' : 'QUEUED');
      await new Promise((r) => setTimeout(r, 100));
      seen = sub.results.at(-1)?.data?.jobStatusChanged.cursor;
    }
    expect(seen).toBeTruthy();
    const lastSeen = sub.results.at(-1)!.data!.jobStatusChanged.cursor;
    await first.dispose();

    const missed = [await move(a.url, targets[1]!, 'BUILDING'), await move(a.url, targets[2]!, 'BUILDING')];
    expect(await a.stop()).toBe(0);

    const b = await spawnServer(['--db', db]);
    servers.push(b);
    missed.push(await move(b.url, targets[3]!, 'BUILDING'));

    const second = wsClient(b.wsUrl);
    const resumed = subscribe(second, JobStatusChangedDocument, { projectUid: 'P1', since: lastSeen });
    await resumed.waitFor(3);
    expect(resumed.results.map((r) => r.data!.jobStatusChanged.cursor)).toEqual(missed);
    expect(resumed.results.map((r) => [r.data!.jobStatusChanged.jobUid, r.data!.jobStatusChanged.previousStatus, r.data!.jobStatusChanged.status])).toEqual([
      [targets[1], 'COMPLETED', 'BUILDING'],
      [targets[2], 'COMPLETED', 'BUILDING'],
      [targets[3], 'COMPLETED', 'BUILDING'],
    ]);
    const live = await move(b.url, targets[4]!, 'BUILDING');
    await resumed.waitFor(4);
    await new Promise((r) => setTimeout(r, 100));
    expect(resumed.results.map((r) => r.data!.jobStatusChanged.cursor)).toEqual([...missed, live]);
    await second.dispose();
  }, 60_000);
});
