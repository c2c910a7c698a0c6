import type { Page } from '../store/job-store.js';
import type { LazyCount } from './builder.js';

/** A store page as a Relay connection; `totalCount` may be a thunk, run only when selected. */
export function toConnection<T, E extends Page<T>['edges'][number]>(page: { edges: E[]; hasNextPage: boolean; hasPreviousPage: boolean }, totalCount: LazyCount) {
  return {
    edges: page.edges,
    // Cursors are encoded only when read: most pages never select pageInfo.
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      get startCursor() {
        return page.edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return page.edges.at(-1)?.cursor ?? null;
      },
    },
    totalCount,
  };
}
