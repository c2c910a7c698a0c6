import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { CryosparcSim } from '../../src/cryosparc-sim/sim.js';
import { JobByUidDocument } from '../gql/graphql.js';
import { execute, expectData } from '../helpers/client.js';
import { PG_URL } from '../helpers/global-setup.js';
import type { ServerProcess } from '../helpers/process.js';
import { dropSchema, storeAvailable } from '../helpers/stores.js';
import { spawnFollower, until } from './helpers.js';

const polls = async (gateway: ServerProcess): Promise<number> => {
  const text = await (await fetch(gateway.url.replace(/\/graphql$/, '/metrics'))).text();
  return Number(/^cryosparc_polls_total\{outcome="ok"\} (\d+)/m.exec(text)?.[1] ?? 0);
};

describe.runIf(storeAvailable('postgres'))('several gateways on one PostgreSQL database', { timeout: 60_000 }, () => {
  const schema = `jg_test_${randomBytes(6).toString('hex')}`;
  const sim = new CryosparcSim({ jobs: 30, seed: 11 });
  const gateways: ServerProcess[] = [];

  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await sim.stop();
    await dropSchema(schema);
  });

  it('have exactly one follower, and another takes over when it dies', async () => {
    const { url } = await sim.start(0);
    const args = ['--db', PG_URL, '--pg-schema', schema, '--pg-pool-max', '3'];
    const a = await spawnFollower(url, args);
    gateways.push(a);
    await until(() => /first sync from CryoSPARC done/.test(a.output()), 'the first gateway to sync');
    const b = await spawnFollower(url, args);
    gateways.push(b);
    await until(() => /another gateway follows CryoSPARC/.test(b.output()), 'the second gateway to stand by');
    // While the first one lives, only it polls.
    const start = await polls(a);
    await until(async () => (await polls(a)) >= start + 5, 'five polls of the first gateway');
    expect(await polls(b)).toBe(0);

    const exited = new Promise((resolve) => a.child.once('exit', resolve));
    a.child.kill('SIGKILL');
    await exited;
    gateways.splice(gateways.indexOf(a), 1);
    await until(() => /following CryoSPARC \(holding the follower lease\)/.test(b.output()), 'the second gateway to take over', 20_000);
    const job = sim.listJobs()[0]!;
    sim.setStatus('P1', job.uid as string, job.status === 'killed' ? 'building' : 'killed');
    const wanted = (sim.job('P1', job.uid as string)!.status as string).toUpperCase();
    await until(async () => expectData(await execute(b.url, JobByUidDocument, { projectUid: 'P1', uid: job.uid as string })).job!.status === wanted, 'the change to reach the second gateway');
    // It continued from the stored position: no second first sync.
    expect(b.output()).not.toMatch(/first sync from CryoSPARC done/);
  });
});
