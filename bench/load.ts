/** autocannon runs and how several short runs combine into one figure. */
import autocannon from 'autocannon';
import { say } from './context.js';
import { median } from './stats.js';

export interface Load {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  failures: number;
}

/** Several runs as one: the median of their percentiles, the mean of their throughputs. */
export function combine(runs: Load[]): Load {
  return {
    requestsPerSecond: runs.reduce((n, r) => n + r.requestsPerSecond, 0) / runs.length,
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    requests: runs.reduce((n, r) => n + r.requests, 0),
    failures: runs.reduce((n, r) => n + r.failures, 0),
  };
}

/** One autocannon run; `scenario` prefixes the progress line. */
export async function load(scenario: string, label: string, options: autocannon.Options): Promise<Load> {
  say(`${scenario}: ${label} for ${options.duration} s with ${options.connections} connections`);
  const result = await autocannon(options);
  const failures = result.non2xx + result.errors + result.timeouts;
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total, failures };
}
