/**
 * Resume: one client subscribes with `since` set before 100,000 events it
 * missed; the replay rate is those events ÷ the time from subscribing until
 * the last of them arrives. The events were appended to the log when the
 * dataset was built (dataset.ts), spread over every project.
 */
import { encodeEventCursor } from '../src/events/event-cursor.js';
import { type BenchContext, say } from './context.js';
import type { Dataset } from './dataset.js';
import type { ScenarioResult } from './figures.js';
import { startGateway } from './gateway.js';
import { sleep, wallNow } from './stats.js';
import { openSubscription } from './ws-client.js';

const REPLAY_SUBSCRIPTION = `subscription BenchReplay($since: String) {
  jobStatusChanged(since: $since) { cursor projectUid jobUid previousStatus status at job { uid status } }
}`;

/** Subscribes after `afterSeq` and resolves when `count` events arrived: the elapsed ms and the last cursor. */
async function replay(wsUrl: string, afterSeq: number, count: number, label: string): Promise<{ ms: number; errors: number }> {
  const started = wallNow();
  let received = 0;
  let errors = 0;
  let lastReport = started;
  let resolveDone!: () => void;
  let rejectDone!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const subscription = await openSubscription(
    wsUrl,
    { query: REPLAY_SUBSCRIPTION, variables: { since: encodeEventCursor(afterSeq) } },
    {
      onNext(at, payload) {
        received++;
        if (payload.errors) errors++;
        if (at - lastReport > 2000) {
          lastReport = at;
          say(`${label}: ${received.toLocaleString('en-US')}/${count.toLocaleString('en-US')} events`);
        }
        if (received === count) resolveDone();
      },
      onError: (error) => rejectDone(new Error(`replay failed: ${JSON.stringify(error)}`)),
      onClose: (code, reason) => {
        if (received < count) rejectDone(new Error(`replay connection closed after ${received} events: ${code} ${reason}`));
      },
    },
  );
  await done;
  const ms = wallNow() - started;
  // Drop the connection at once: a polite close would wait behind everything the server still has queued for it.
  subscription.socket.terminate();
  return { ms, errors };
}

export async function runReplay(ctx: BenchContext, dataset: Pick<Dataset, 'replay'>): Promise<ScenarioResult> {
  const started = performance.now();
  const { afterSeq, count } = dataset.replay;
  const gateway = await startGateway(ctx, 'replay');
  try {
    // A short replay first, so the long one runs on warm code.
    await replay(gateway.wsUrl, afterSeq, Math.min(5000, count), 'replay warm-up');
    for (let i = 0; (await gateway.scrape()).sum('graphql_active_subscriptions') > 0; i++) {
      if (i > 300) throw new Error('replay: the warm-up subscription did not end');
      await sleep(100);
    }
    const run = await replay(gateway.wsUrl, afterSeq, count, 'replay');
    const rate = count / (run.ms / 1000);
    say(`replay: ${count.toLocaleString('en-US')} events in ${(run.ms / 1000).toFixed(1)} s = ${Math.round(rate).toLocaleString('en-US')} events/s`);
    return {
      scenario: 'replay',
      method: `one graphql-ws client subscribes (\`jobStatusChanged(since:)\`, with \`job { uid status }\`) ${count.toLocaleString('en-US')} events behind the head, events spread over every project; time from subscribing to the last one received, after a ${Math.min(5000, count).toLocaleString('en-US')}-event warm-up replay.`,
      figures: [
        { scenario: 'replay', measure: `replay rate (${count.toLocaleString('en-US')} missed events)`, value: rate, unit: 'events/s', target: { op: '>=', bound: 50_000 } },
        { scenario: 'replay', measure: 'time to catch up', value: run.ms, unit: 'ms' },
      ],
      caveats: run.errors > 0 ? [`${run.errors} replayed events carried errors.`] : [],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await gateway.stop();
  }
}
