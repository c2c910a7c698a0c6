import type { EventBus } from '../events/event-bus.js';
import type { JobWriter } from '../events/job-writer.js';
import type { JobStore } from '../store/job-store.js';
import { createLoaders, type Loaders } from './loaders.js';

/** Who is asking. Without authentication everyone is the anonymous viewer. */
export interface Viewer {
  userId: string;
}

/** What every resolver sees: the store, this request's loaders, the write path and the bus. */
export interface Context {
  store: JobStore;
  loaders: Loaders;
  writer: JobWriter;
  bus: EventBus;
  viewer: Viewer;
  /** Settings of subscriptions. */
  subscriptions: { maxLag: number };
  /** Closes the client's connection (websocket clients only); used to cut off a slow consumer. */
  closeConnection?: (code: number, reason: string) => void;
}

export interface ContextDeps {
  store: JobStore;
  writer: JobWriter;
  bus: EventBus;
  subscriptionMaxLag?: number;
  viewer?: Viewer;
  closeConnection?: (code: number, reason: string) => void;
}

export function createContext({ store, writer, bus, subscriptionMaxLag = 10_000, viewer = { userId: 'anonymous' }, closeConnection }: ContextDeps): Context {
  return { store, loaders: createLoaders(store), writer, bus, viewer, subscriptions: { maxLag: subscriptionMaxLag }, closeConnection };
}
