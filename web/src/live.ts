/**
 * The app's one live connection: a graphql-ws client (keep-alive on, retrying
 * forever) with one `jobStatusChanged` subscription over every project the
 * caller may read. The cursor of the last event is kept in the subscription's
 * variables, which graphql-ws sends again on every reconnect: after a drop or
 * a gateway restart the gateway replays what was missed, in order, once.
 */
import { createClient } from 'graphql-ws';
import { ViewerStatusChangedDocument, type ViewerStatusChangedSubscription } from '../gql/graphql.js';
import { GRAPHQL_PATH } from './api.js';
import { readToken } from './token.js';

export type LiveState = 'live' | 'reconnecting' | 'offline';
export type StatusEvent = ViewerStatusChangedSubscription['jobStatusChanged'];

export interface LiveOptions {
  onEvent(event: StatusEvent): void;
  onState(state: LiveState): void;
  /**
   * Called after a reconnect. `resumed`: the subscription asked for the events
   * missed since the last one seen; false when none had been seen yet (there
   * is no cursor to resume from), so the caller should read its data again.
   */
  onReconnected?(resumed: boolean): void;
  /** Consecutive failed attempts after which the state says "offline" (it keeps trying). @default 8 */
  offlineAfterAttempts?: number;
}

export interface Live {
  /** Cursor of the last event seen, or null before the first one. */
  readonly cursor: string | null;
  state: LiveState;
  close(): void;
}

export function startLive({ onEvent, onState, onReconnected, offlineAfterAttempts = 8 }: LiveOptions): Live {
  const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${GRAPHQL_PATH}`;
  // Re-sent as is on every (re)subscribe: `since` always names the last event seen.
  const variables: { since: string | null } = { since: null };
  let failures = 0;
  let everConnected = false;
  let closed = false;
  const live: Live = {
    get cursor() {
      return variables.since;
    },
    state: 'reconnecting',
    close() {
      closed = true;
      dispose();
      void client.dispose();
    },
  };
  const setState = (state: LiveState) => {
    if (live.state === state) return;
    live.state = state;
    onState(state);
  };
  const client = createClient({
    url,
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => !closed,
    retryWait: async (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(300 * 2 ** retries, 4000) + Math.random() * 300)),
    connectionParams: () => {
      const token = readToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      connected: () => {
        failures = 0;
        setState('live');
        if (everConnected) onReconnected?.(variables.since !== null);
        everConnected = true;
      },
      closed: () => {
        if (closed) return;
        failures++;
        setState(failures >= offlineAfterAttempts || !navigator.onLine ? 'offline' : 'reconnecting');
      },
    },
  });
  addEventListener('offline', () => setState('offline'));
  addEventListener('online', () => setState(client ? 'reconnecting' : 'offline'));

  let dispose = () => {};
  const subscribe = () => {
    dispose = client.subscribe<ViewerStatusChangedSubscription>(
      { query: ViewerStatusChangedDocument.toString(), variables },
      {
        next: (result) => {
          const event = result.data?.jobStatusChanged;
          if (!event) return;
          variables.since = event.cursor;
          onEvent(event);
        },
        // The gateway ended the subscription (e.g. a slow consumer cut off): subscribe again from the cursor.
        error: () => !closed && setTimeout(subscribe, 1000),
        complete: () => !closed && setTimeout(subscribe, 1000),
      },
    );
  };
  subscribe();
  return live;
}
