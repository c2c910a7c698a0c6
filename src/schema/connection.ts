import type { Page } from '../store/job-store.js';
import type { LazyCount } from './builder.js';

/** A store page as a Relay connection; `totalCount` may be a thunk, run only when selected. */
export function toConnection<T, E extends Page<T>['edges'][number]>(page: { edges: E[]; hasNextPage: boolean; hasPreviousPage: boolean }, totalCount: LazyCount) {
  return {
    edges: page.edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: page.edges[0]?.cursor ?? null,
      endCursor: page.edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}
