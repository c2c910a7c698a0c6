import type { Access } from '../model/access.js';
import type { EventBus } from '../events/event-bus.js';
import type { JobWriter } from '../events/job-writer.js';
import { type JobControl, createLocalJobControl, scopeControl } from '../events/job-control.js';
import type { JobStore } from '../store/job-store.js';
import { scopeWriter } from '../events/scoped-writer.js';
import { scopeStore } from '../store/scoped-store.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What every resolver sees: the store, this request's loaders, the write path and the bus. */
export interface Context {
  store: JobStore;
  loaders: Loaders;
  writer: JobWriter;
  /** Control actions (the mutations): on jobgraph's copy, or sent to a followed CryoSPARC; narrowed to `access`. */
  control: JobControl;
  bus: EventBus;
  /** Who is asking and what they may see; `store` and `writer` are already narrowed to it. */
  access: Access;
  /**
   * Settings of subscriptions. `resumeAfter` is the request's `Last-Event-ID`
   * (an SSE client reconnecting, see docs/subscriptions.md): when present, a
   * subscription resumes after it as if it were `since`, and wins over `since`.
   */
  subscriptions: { maxLag: number; resumeAfter?: string };
  /** Closes the client's connection (websocket clients only); used to cut off a slow consumer. */
  closeConnection?: (code: number, reason: string) => void;
  /** Where subscriptions count delivered and dropped status events (metrics); absent when nothing counts. */
  statusEvents?: StatusEventCounters;
}

/** Counters of status events, fed by the status streams of subscriptions. */
export interface StatusEventCounters {
  /** One event handed to one subscriber. */
  delivered(): void;
  /** A subscriber was cut off for falling `lag` log positions behind. */
  cutOff(lag: number): void;
}

export interface ContextDeps {
  store: JobStore;
  writer: JobWriter;
  /** Where control actions go. @default local control over `writer` */
  control?: JobControl;
  bus: EventBus;
  subscriptionMaxLag?: number;
  /** The request's `Last-Event-ID` header, when it has a non-empty one. */
  lastEventId?: string;
  access: Access;
  closeConnection?: (code: number, reason: string) => void;
  statusEvents?: StatusEventCounters;
}

/** A request's context. `store` and `writer` are the shared ones; the context gets them narrowed to `access`. */
export function createContext({ store, writer, control, bus, subscriptionMaxLag = 10_000, lastEventId, access, closeConnection, statusEvents }: ContextDeps): Context {
  const scoped = scopeStore(store, access);
  return {
    store: scoped,
    // Made on first use: most subscriptions never load anything, and there may be ten thousand of them.
    // (A proxy, not a getter: yoga copies the context, which would call a getter at once.)
    loaders: onFirstUse(() => createLoaders(scoped)),
    writer: scopeWriter(writer, access),
    control: scopeControl(control ?? createLocalJobControl(writer), access),
    bus,
    access,
    subscriptions: lastEventId ? { maxLag: subscriptionMaxLag, resumeAfter: lastEventId } : { maxLag: subscriptionMaxLag },
    closeConnection,
    statusEvents,
  };
}

/** An object made by `create` when one of its properties is first read. */
function onFirstUse<T extends object>(create: () => T): T {
  let value: T | undefined;
  return new Proxy({} as T, { get: (_target, key) => Reflect.get((value ??= create()), key) });
}
