import type { Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Access } from '../model/access.js';
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
}

export function attachWebSocketServer(httpServer: Server, yoga: JobgraphYoga, { authenticate }: WebSocketOptions = {}) {
  const wsServer = new WebSocketServer({ server: httpServer, path: yoga.graphqlEndpoint });
  const accessOf = new WeakMap<object, Access>();
  const disposable = useServer(
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
      execute: (args) => (args as EnvelopedArgs).rootValue.execute(args) as never,
      subscribe: (args) => (args as EnvelopedArgs).rootValue.subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          access: accessOf.get(ctx.extra),
          params,
        });
        let document;
        try {
          document = parse(params.query);
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
  );
  return {
    wsServer,
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
