/**
 * A Relay environment for jobgraph: queries and mutations as JSON POSTs,
 * subscriptions over the graphql-ws websocket, resumed after the last
 * `cursor` whenever the connection comes back (see ../graphql-ws.ts).
 * With a tokens file, add `authorization: Bearer <token>` to the POST headers
 * and the websocket's `connectionParams`.
 */
import { Environment, type FetchFunction, type GraphQLResponse, Network, Observable, RecordSource, Store, type SubscribeFunction } from 'relay-runtime';
import type { Client as WsClient } from 'graphql-ws';
import { subscribeResumable } from '../graphql-ws.js';

export function createJobgraphRelayEnvironment({ url, ws }: { /** `http://host:port/graphql` */ url: string; /** A client made by `createJobgraphWsClient`. */ ws: WsClient }): Environment {
  const fetchFn: FetchFunction = async (params, variables) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: params.text, variables, operationName: params.name }),
    });
    return (await response.json()) as GraphQLResponse;
  };
  const subscribe: SubscribeFunction = (params, variables) =>
    Observable.create<GraphQLResponse>((sink) =>
      subscribeResumable(ws, { query: params.text ?? '', variables, operationName: params.name }, {
        next: (result) => sink.next(result as GraphQLResponse),
        error: (error) => sink.error(error instanceof Error ? error : new Error(String(error))),
        complete: () => sink.complete(),
      }),
    );
  return new Environment({ network: Network.create(fetchFn, subscribe), store: new Store(new RecordSource()) });
}
