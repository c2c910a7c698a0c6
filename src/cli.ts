#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, type ConfigInput, loadConfig } from './config.js';

const program = new Command()
  .name('jobgraph')
  .description('GraphQL gateway over CryoSPARC job data')
  .showHelpAfterError();

const dbOption = ['--db <path-or-url>', 'SQLite file or postgres:// URL (env JOBGRAPH_DB; default ./data/jobgraph.db)'] as const;
const logOption = ['--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (env JOBGRAPH_LOG_LEVEL; default info)'] as const;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

program
  .command('serve')
  .description('serve GraphQL over HTTP, SSE and websockets on /graphql')
  .option(...dbOption)
  .option('--host <host>', 'interface to bind (env JOBGRAPH_HOST; default 127.0.0.1)')
  .option('--port <port>', 'port, 0 for any free one (env JOBGRAPH_PORT; default 4000)')
  .option('--demo', 'load the demo projects when the database is empty (env JOBGRAPH_DEMO)')
  .option('--no-graphiql', 'do not serve GraphiQL (env JOBGRAPH_GRAPHIQL=false)')
  .option(...logOption)
  .action(async (opts: ConfigInput & { graphiql?: boolean }) => {
    const { createApp } = await import('./app.js');
    const config = loadConfig({ ...opts, graphiql: opts.graphiql === false ? false : undefined });
    const app = await createApp(config);
    const { url } = await app.start();
    app.logger.info({ url, db: redact(config.db) }, `jobgraph listening on ${url}${config.graphiql ? ' (GraphiQL in a browser)' : ''}`);
    const shutdown = async (signal: string) => {
      app.logger.info({ signal }, 'shutting down');
      await app.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });

program
  .command('seed')
  .description('generate realistic synthetic CryoSPARC projects into the database')
  .requiredOption('--jobs <n>', 'total number of jobs', positiveInt)
  .option('--projects <n>', 'number of projects to spread them over', positiveInt, 1)
  .option('--seed <n>', 'random seed (same seed, same data)', positiveInt, 1)
  .option(...dbOption)
  .option(...logOption)
  .action(async (opts: { jobs: number; projects: number; seed: number; db?: string; logLevel?: string }) => {
    const { seedDatabase } = await import('./ingest/seed.js');
    const config = loadConfig({ db: opts.db, logLevel: opts.logLevel });
    await seedDatabase({ config, jobs: opts.jobs, projects: opts.projects, seed: opts.seed, progress: process.stderr.isTTY });
  });

program
  .command('schema')
  .description('print the GraphQL schema (SDL)')
  .action(async () => {
    const { printSortedSchema } = await import('./schema/index.js');
    process.stdout.write(printSortedSchema());
  });

function redact(db: string): string {
  return db.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}

program.parseAsync().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
