/**
 * PostGraphile v4 as a user would deploy it: the library on node:http, the
 * production options its documentation recommends, the simplify inflector
 * and many-to-many (job_edge → `parents` / `children`), over the `peer`
 * schema bench/peer-data.ts fills from the bench dataset.
 *
 *   node bench/peer/server.js --db postgres://… --schema jobgraph_peer_… --port N
 *
 * GET /health answers once the schema has been introspected.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import PgManyToManyPlugin from '@graphile-contrib/pg-many-to-many';
import PgSimplifyInflectorPlugin from '@graphile-contrib/pg-simplify-inflector';
import postgraphilePackage from 'postgraphile';

const { postgraphile } = postgraphilePackage;
const { values } = parseArgs({ options: { db: { type: 'string' }, schema: { type: 'string' }, port: { type: 'string' } } });

const middleware = postgraphile(values.db, values.schema, {
  appendPlugins: [PgSimplifyInflectorPlugin, PgManyToManyPlugin],
  disableDefaultMutations: true,
  subscriptions: false,
  watchPg: false,
  graphiql: false,
  dynamicJson: true,
  setofFunctionsContainNulls: false,
  ignoreRBAC: false,
  legacyRelations: 'omit',
  disableQueryLog: true,
  extendedErrors: ['errcode'],
  retryOnInitFail: false,
});

const server = createServer((request, response) => {
  if (request.url === '/health') {
    middleware.getGraphQLSchema().then(
      () => response.writeHead(200).end('ok'),
      (error) => response.writeHead(503).end(String(error)),
    );
    return;
  }
  middleware(request, response);
});
server.listen(Number(values.port), '127.0.0.1');

const shutdown = () => {
  server.closeAllConnections();
  server.close(() => void middleware.release().then(() => process.exit(0)));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
