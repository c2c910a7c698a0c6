/**
 * jobgraph with urql (`@urql/core`) and its normalised cache (`@urql/exchange-graphcache`).
 *
 * - **Defaults work**: urql sends queries as GET (no custom header needed;
 *   jobgraph's CSRF check only asks it of form POSTs) and mutations as JSON POSTs.
 * - **Cache.** Graphcache normalises by `id`. The types below have no `id` and
 *   are embedded in their parent (`null` key). `relayPagination()` merges
 *   the pages of a connection fetched with `after`.
 * - **Subscriptions** over the graphql-ws websocket, resumed with
 *   `subscribeResumable` (graphql-ws.ts): the client reconnects by itself and
 *   the subscription continues after the last `cursor` it received — across a
 *   gateway restart too (declare `$since: String` and pass it as the field's `since`). Events carry `job { id status … }`, which updates the
 *   cached job. (graphql-sse's `subscribeResumable` plugs in the same way.)
 * - With a tokens file: `fetchOptions: { headers: { authorization: `Bearer ${token}` } }`,
 *   and the token in the websocket's `connectionParams`.
 *
 * Tested by test/clients/clients.test.ts against a running gateway.
 */
import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import type { FormattedExecutionResult, Sink, Client as WsClient } from 'graphql-ws';
import { subscribeResumable } from './graphql-ws.js';

/** Types without an `id`: stored inside the object that holds them. */
const EMBEDDED = ['JobConnection', 'JobConnectionEdge', 'ProjectConnection', 'ProjectEdge', 'PageInfo', 'JobStatusEvent', 'LineageConnection', 'LineageEdge'];

export interface JobgraphUrqlOptions {
  /** `http://host:port/graphql` */
  url: string;
  /** For subscriptions: a client made by `createJobgraphWsClient`. */
  ws?: WsClient;
  /** The fetch to use. @default globalThis.fetch */
  fetch?: typeof fetch;
}

export function createJobgraphUrqlClient({ url, ws, fetch }: JobgraphUrqlOptions): Client {
  return new Client({
    url,
    ...(fetch ? { fetch } : {}),
    exchanges: [
      cacheExchange({
        keys: Object.fromEntries(EMBEDDED.map((name) => [name, () => null])),
        resolvers: {
          Query: { jobs: relayPagination(), projects: relayPagination() },
          Project: { jobs: relayPagination() },
          Workspace: { jobs: relayPagination() },
        },
      }),
      fetchExchange,
      ...(ws
        ? [
            subscriptionExchange({
              forwardSubscription: (request) => ({
                subscribe: (sink) => ({ unsubscribe: subscribeResumable(ws, { ...request, query: request.query ?? '' }, sink as Sink<FormattedExecutionResult<Record<string, unknown>, unknown>>) }),
              }),
            }),
          ]
        : []),
    ],
  });
}
