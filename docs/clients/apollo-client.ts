/**
 * jobgraph with Apollo Client 3 (`@apollo/client/core`; with React, import the
 * same names from `@apollo/client`).
 *
 * - **Cache.** Objects are normalised by their global `id`. `possibleTypes`
 *   (from `jobgraph schema --possible-types`, committed as possible-types.json)
 *   lets fragments on the `Node` interface and the `SchedulerTargetConfig`
 *   union match; without it `... on Node` fields are dropped silently.
 * - **Pagination.** Connections (`jobs`, `Project.jobs`, `Workspace.jobs`,
 *   `projects`) are Relay connections: `relayStylePagination` merges pages,
 *   keyed by the arguments that pick the list (not the paging ones).
 * - **Subscriptions** over the `graphql-transport-ws` websocket (`GraphQLWsLink`)
 *   or server-sent events (`SseLink`, graphql-sse), with `resumeLink` in front:
 *   both transports reconnect by themselves, and `resumeLink` keeps the
 *   operation's `since` at the last event's `cursor`, so a reconnect — also to
 *   a restarted gateway — replays exactly the events missed. The operation
 *   declares `$since: String`, passes it as the field's `since`, and selects `cursor`.
 *   Events carry the job (`job { id status … }`), which updates it in the cache.
 * - **Without a subscription link**, HttpLink sends subscriptions as Apollo's
 *   multipart HTTP protocol, which jobgraph serves too (no resume: the
 *   subscription ends with an error when the connection drops).
 *
 * Tested by test/clients/clients.test.ts against a running gateway.
 */
import { ApolloClient, ApolloLink, type FetchResult, HttpLink, InMemoryCache, type NormalizedCacheObject, Observable, type Operation, split } from '@apollo/client/core';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition, relayStylePagination } from '@apollo/client/utilities';
import { print } from 'graphql';
import type { Client as SseClient } from 'graphql-sse';
import type { Client as WsClient } from 'graphql-ws';
import possibleTypes from '../../possible-types.json' with { type: 'json' };
import { cursorOf } from './graphql-ws.js';

/** The cache: normalised by global id, interfaces and unions known, connection pages merged. */
export function createJobgraphCache(): InMemoryCache {
  const jobs = relayStylePagination(['filter', 'orderBy']);
  return new InMemoryCache({
    possibleTypes,
    typePolicies: {
      Query: { fields: { jobs, projects: relayStylePagination() } },
      Project: { fields: { jobs } },
      Workspace: { fields: { jobs } },
    },
  });
}

const isSubscription = (operation: Operation) => {
  const definition = getMainDefinition(operation.query);
  return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
};

/**
 * Keeps a subscription's `since` at the cursor of the last event it received.
 * The websocket and SSE links below send the operation's variables object
 * again when they reconnect, so the gateway resumes after that event.
 */
export const resumeLink = new ApolloLink((operation, forward) => {
  if (!isSubscription(operation)) return forward(operation);
  const variables: Record<string, unknown> = { ...operation.variables };
  operation.variables = variables;
  return forward(operation).map((result) => {
    const cursor = cursorOf(result);
    if (cursor) variables.since = cursor;
    return result;
  });
});

/** Subscriptions over graphql-sse (server-sent events); pass a client made by `createJobgraphSseClient` (graphql-sse.ts). */
export class SseLink extends ApolloLink {
  constructor(private readonly client: SseClient<false>) {
    super();
  }

  override request(operation: Operation): Observable<FetchResult> {
    return new Observable((sink) =>
      this.client.subscribe({ ...operation, query: print(operation.query) }, { next: (value) => sink.next(value as FetchResult), complete: () => sink.complete(), error: (error) => sink.error(error) }),
    );
  }
}

export interface JobgraphApolloOptions {
  /** `http://host:port/graphql` */
  url: string;
  /** How subscriptions travel: a graphql-ws client (createJobgraphWsClient), a graphql-sse client (createJobgraphSseClient), or neither (HttpLink's multipart subscriptions, no resume). */
  subscriptions?: { ws: WsClient } | { sse: SseClient<false> };
  /** Headers for queries and mutations, e.g. `{ authorization: `Bearer ${token}` }` with a tokens file. */
  headers?: Record<string, string>;
}

export function createJobgraphApolloClient({ url, subscriptions, headers }: JobgraphApolloOptions): ApolloClient<NormalizedCacheObject> {
  const http = new HttpLink({ uri: url, headers });
  const live = subscriptions === undefined ? undefined : 'ws' in subscriptions ? new GraphQLWsLink(subscriptions.ws) : new SseLink(subscriptions.sse);
  return new ApolloClient({
    cache: createJobgraphCache(),
    link: live ? ApolloLink.from([resumeLink, split(isSubscription, live, http)]) : http,
  });
}
