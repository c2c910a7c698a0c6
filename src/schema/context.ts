import type { JobStore } from '../store/job-store.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What every resolver sees: the store and this request's loaders. */
export interface Context {
  store: JobStore;
  loaders: Loaders;
}

export interface ContextDeps {
  store: JobStore;
}

export function createContext({ store }: ContextDeps): Context {
  return { store, loaders: createLoaders(store) };
}
