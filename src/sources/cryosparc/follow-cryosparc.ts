/**
 * The CryoSPARC source as the gateway composes it: a client of the
 * instance's API, the follower that polls it into the database (while this
 * gateway holds the follower lease), and the control that sends mutations
 * upstream.
 */
import type { Logger } from 'pino';
import type { JobControl } from '../../events/job-control.js';
import type { JobWriter } from '../../events/job-writer.js';
import type { JobStore } from '../../store/job-store.js';
import { type CryosparcCredentials, CryosparcClient } from './api-client.js';
import { CryosparcFollower, type FollowerObserver } from './follower.js';
import { CONTROL_OPERATIONS, createUpstreamJobControl } from './upstream-control.js';

export { CryosparcSetupError } from './api-client.js';

export interface FollowCryosparcOptions {
  /** Base URL of the instance. */
  url: string;
  credentials: CryosparcCredentials;
  /** Interval between two polls. @default 1000 */
  pollMs?: number;
  /** Follow only these projects; empty for all. @default [] */
  projects?: readonly string[];
  store: JobStore;
  writer: JobWriter;
  logger: Logger;
  observer?: FollowerObserver & { request(operation: string): void };
  /** Longest one request may take. @default 15000 */
  timeoutMs?: number;
}

export interface CryosparcSource {
  /** Where mutations go while following. */
  control: JobControl;
  /** Whether the instance answered the last exchange. */
  isUp(): boolean;
  /** Whether this gateway polls (holds the follower lease). */
  isLeading(): boolean;
  stop(): Promise<void>;
}

/**
 * Connects to the instance and starts following it.
 * @throws CryosparcSetupError when it offers no operation jobgraph needs, or refuses the login
 * (an unreachable instance is not an error: the follower keeps trying and `/ready` says so).
 */
export async function followCryosparc({ url, credentials, pollMs = 1000, projects = [], store, writer, logger, observer, timeoutMs }: FollowCryosparcOptions): Promise<CryosparcSource> {
  const client = new CryosparcClient({ baseUrl: url, credentials, timeoutMs, onRequest: observer ? (operation) => observer.request(operation) : undefined });
  const source = `cryosparc ${url} ${projects.length > 0 ? [...projects].sort().join(',') : '*'}`;
  const follower = new CryosparcFollower({ client, store, writer, logger, source, pollMs, projects, required: CONTROL_OPERATIONS, observer });
  await follower.connect();
  follower.start();
  return {
    control: createUpstreamJobControl({ client, follower, store }),
    isUp: () => follower.isUp(),
    isLeading: () => follower.isLeading(),
    stop: () => follower.stop(),
  };
}
