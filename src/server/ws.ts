import type { Server } from 'node:http';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { WebSocketServer } from 'ws';
import type { Access } from '../model/access.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { type OriginPolicy, createOriginPolicy, verifyUpgrade } from './origin-policy.js';
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
  /**
   * The access a connection's credential grants now (the tokens file may have
   * been reloaded since it connected), or undefined once it is revoked: each
   * new operation runs with the current grants. @default the access it connected with
   */
  currentAccess?: (access: Access) => Access | undefined;
  /** Upgrades from a host or origin it refuses get 403 and no websocket (origin-policy.ts). @default same origin, loopback hosts */
  originPolicy?: OriginPolicy;
}

/** Close code and reason for the sockets of a revoked token (graphql-ws's own code for a refused connection). */
export const REVOKED_CLOSE = { code: 4403, reason: 'token revoked' } as const;

export function attachWebSocketServer(httpServer: Server, yoga: JobgraphYoga, { authenticate, limits = DEFAULT_LIMITS, onInternalError, currentAccess, originPolicy = createOriginPolicy() }: WebSocketOptions = {}) {
  const wsServer = new WebSocketServer({ server: httpServer, path: yoga.graphqlEndpoint, maxPayload: limits.maxWsMessageBytes, verifyClient: verifyUpgrade(originPolicy) });
  const persisted = limits.persistedOperations ? loadPersistedOperations(limits.persistedOperations) : undefined;
  // By socket, so that the sockets of a revoked token can be found among wsServer.clients.
  const accessOf = new WeakMap<object, Access>();
  const disposable = serveGraphqlWs(
    {
      onConnect: (ctx) => {
        if (!authenticate) return true;
        try {
          accessOf.set(ctx.extra.socket, authenticate(ctx.connectionParams));
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
        let access = accessOf.get(ctx.extra.socket);
        if (access && currentAccess) {
          access = currentAccess(access);
          if (!access) {
            ctx.extra.socket.close(REVOKED_CLOSE.code, REVOKED_CLOSE.reason);
            return [new GraphQLError('The token was revoked.', { extensions: { code: 'UNAUTHENTICATED' } })];
          }
        }
        const query = persisted ? persistedQueryOf(persisted, params) : params.query;
        if (query instanceof GraphQLError) return [query];
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          access,
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
    /** Closes every open connection whose access `shouldClose` picks (e.g. a revoked token's); returns how many. */
    closeConnections(shouldClose: (access: Access) => boolean, { code, reason }: { code: number; reason: string } = REVOKED_CLOSE): number {
      let closed = 0;
      for (const socket of wsServer.clients) {
        const access = accessOf.get(socket);
        if (access && shouldClose(access)) {
          socket.close(code, reason);
          closed++;
        }
      }
      return closed;
    },
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
