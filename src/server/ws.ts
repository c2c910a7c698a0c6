import type { Server } from 'node:http';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { WebSocketServer } from 'ws';
import type { Access } from '../model/access.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { loadPersistedOperations, persistedQueryOf } from './persisted-operations.js';
import { serveGraphqlWs } from './ws-transport.js';
import type { JobgraphYoga } from './yoga.js';

type EnvelopedArgs = ExecutionArgs & {
  rootValue: { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };
};

/**
 * graphql-ws on the same port and path as HTTP, executing through yoga's
 * envelop pipeline so that context, error masking and plugins are the same
 * for websocket and HTTP clients.
 */
export interface WebSocketOptions {
  /** Who the client is, from its `connection_init` payload; throwing refuses the connection (close 4403). */
  authenticate?: (connectionParams: Readonly<Record<string, unknown>> | undefined) => Access;
  /**
   * Message size (close 1009), `connection_init` wait (close 4408), operations per
   * connection (`SUBSCRIPTION_LIMIT_EXCEEDED`) and persisted operations; the rest
   * is enforced by yoga's plugins, which websocket operations run through.
   * @default DEFAULT_LIMITS
   */
  limits?: Limits;
  /** Where an unexpected error while handling a websocket message is reported. */
  onInternalError?: (error: unknown) => void;
}

export function attachWebSocketServer(httpServer: Server, yoga: JobgraphYoga, { authenticate, limits = DEFAULT_LIMITS, onInternalError }: WebSocketOptions = {}) {
  const wsServer = new WebSocketServer({ server: httpServer, path: yoga.graphqlEndpoint, maxPayload: limits.maxWsMessageBytes });
  const persisted = limits.persistedOperations ? loadPersistedOperations(limits.persistedOperations) : undefined;
  const accessOf = new WeakMap<object, Access>();
  const disposable = serveGraphqlWs(
    {
      onConnect: (ctx) => {
        if (!authenticate) return true;
        try {
          accessOf.set(ctx.extra, authenticate(ctx.connectionParams));
          return true;
        } catch {
          return false;
        }
      },
      connectionInitWaitTimeout: limits.connectionInitTimeoutMs,
      execute: (args) => (args as EnvelopedArgs).rootValue.execute(args) as never,
      subscribe: (args) => (args as EnvelopedArgs).rootValue.subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        // This operation is already counted.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerConnection) {
          const message = `At most ${limits.maxSubscriptionsPerConnection} operations may run at once on one connection.`;
          return [new GraphQLError(message, { extensions: { code: 'SUBSCRIPTION_LIMIT_EXCEEDED', max: limits.maxSubscriptionsPerConnection } })];
        }
        const query = persisted ? persistedQueryOf(persisted, params) : params.query;
        if (query instanceof GraphQLError) return [query];
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          access: accessOf.get(ctx.extra),
          params,
        });
        let document;
        try {
          document = parse(query);
        } catch (error) {
          return [error as never];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        return {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
      },
    },
    wsServer,
    { onInternalError },
  );
  return {
    wsServer,
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
