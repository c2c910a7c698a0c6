/**
 * A child process holding many graphql-ws subscriptions for the bench
 * (forked by ws-pool.ts). It records, for every `next` message, the receive
 * time and the event's commit time (`at`), and answers the parent over IPC.
 */
import { type BenchSubscription, mapLimit, openSubscription } from './ws-client.js';

export type WorkerRequest =
  | { type: 'open'; url: string; subscriptions: { query: string; variables: Record<string, unknown> }[]; concurrency: number }
  | { type: 'stats' }
  | { type: 'collect' }
  | { type: 'close' };

export type WorkerReply =
  | { type: 'opened'; opened: number; failed: number; firstError?: string }
  | { type: 'stats'; received: number; errors: number; closed: number; open: number }
  | { type: 'samples'; receivedAt: number[]; committedAt: number[] }
  | { type: 'closed' };

const subscriptions: BenchSubscription[] = [];
let received = 0;
let errors = 0;
let closed = 0;
let receivedAt: number[] = [];
let committedAt: number[] = [];

const reply = (message: WorkerReply) => process.send!(message);

process.on('message', (request: WorkerRequest) => {
  switch (request.type) {
    case 'open':
      void open(request);
      break;
    case 'stats':
      reply({ type: 'stats', received, errors, closed, open: subscriptions.length - closed });
      break;
    case 'collect':
      reply({ type: 'samples', receivedAt, committedAt });
      receivedAt = [];
      committedAt = [];
      break;
    case 'close':
      for (const s of subscriptions) s.close();
      reply({ type: 'closed' });
      setTimeout(() => process.exit(0), 200);
      break;
  }
});

async function open({ url, subscriptions: requests, concurrency }: Extract<WorkerRequest, { type: 'open' }>) {
  let failed = 0;
  let firstError: string | undefined;
  await mapLimit(requests, concurrency, async (request) => {
    try {
      const subscription = await openSubscription(url, request, {
        onNext(at, payload) {
          received++;
          const event = payload.data?.jobStatusChanged as { at?: string } | undefined;
          if (!event?.at) {
            errors++;
            return;
          }
          receivedAt.push(at);
          committedAt.push(Date.parse(event.at));
        },
        onError: () => void errors++,
        onClose: () => void closed++,
      });
      subscriptions.push(subscription);
    } catch (error) {
      failed++;
      firstError ??= String(error);
    }
  });
  reply({ type: 'opened', opened: subscriptions.length, failed, ...(firstError ? { firstError } : {}) });
}
