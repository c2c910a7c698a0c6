import { useReadinessCheck } from 'graphql-yoga';
import type { EventBus } from '../events/event-bus.js';
import type { JobStore } from '../store/job-store.js';

export interface ReadinessOptions {
  store: JobStore;
  bus: EventBus;
  /** Whether the followed CryoSPARC answers; when given, reported as `upstream` and required for 200. @default undefined (nothing followed) */
  upstream?: (() => boolean) | undefined;
  /** Longest a database probe may take before the gateway counts as not ready. @default 2000 */
  timeoutMs?: number;
}

/**
 * `GET /ready`: 200 when the database answers, the bus is connected and (when
 * a CryoSPARC is followed) the last exchange with it succeeded; 503 with the
 * failing parts otherwise. (`GET /health` — process alive — is
 * yoga's built-in health check.)
 */
export function useReadiness({ store, bus, upstream, timeoutMs = 2000 }: ReadinessOptions) {
  return useReadinessCheck({
    endpoint: '/ready',
    check: async ({ fetchAPI }) => {
      const database = await Promise.race([
        store.lastEventSeq().then(
          () => true,
          () => false,
        ),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
      ]);
      const eventBus = bus.isReady();
      const upstreamUp = upstream ? upstream() : undefined;
      const ready = database && eventBus && upstreamUp !== false;
      const body = JSON.stringify({ ready, database, eventBus, ...(upstreamUp === undefined ? {} : { upstream: upstreamUp }) });
      return new fetchAPI.Response(body, { status: ready ? 200 : 503, headers: { 'content-type': 'application/json' } });
    },
  });
}
