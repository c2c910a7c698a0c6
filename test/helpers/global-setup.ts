import net from 'node:net';
import type { TestProject } from 'vitest/node';

export const PG_URL = process.env.JOBGRAPH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.JOBGRAPH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Finds out once whether PostgreSQL and Redis are up. Outside CI a missing
 * service skips its tests with a message; in CI (CI=true) it fails the run.
 */
export default async function setup(project: TestProject) {
  const pg = new URL(PG_URL);
  const redis = new URL(REDIS_URL);
  const [pgUp, redisUp] = await Promise.all([reachable(pg.hostname, Number(pg.port || 5432)), reachable(redis.hostname, Number(redis.port || 6379))]);
  if (process.env.CI === 'true' && (!pgUp || !redisUp)) {
    throw new Error(`CI=true but ${!pgUp ? `PostgreSQL (${pg.host})` : ''}${!pgUp && !redisUp ? ' and ' : ''}${!redisUp ? `Redis (${redis.host})` : ''} is not reachable`);
  }
  if (!pgUp) console.warn(`\n[jobgraph tests] PostgreSQL at ${pg.host} is not reachable: PostgreSQL tests are SKIPPED\n`);
  if (!redisUp) console.warn(`\n[jobgraph tests] Redis at ${redis.host} is not reachable: Redis tests are SKIPPED\n`);
  project.provide('pgAvailable', pgUp);
  project.provide('redisAvailable', redisUp);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAvailable: boolean;
    redisAvailable: boolean;
  }
}
