#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, type ConfigInput, SETTINGS, type SettingName, loadConfig } from './config.js';

const program = new Command()
  .name('jobgraph')
  .description('GraphQL gateway over CryoSPARC job data')
  .showHelpAfterError()
  // Usage errors exit 2 (as bad settings do) instead of commander's 1.
  .exitOverride((error) => {
    process.exit(error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2);
  });

/** Adds the named settings as options; each one's help names its environment variable too. */
function withSettings(command: Command, names: SettingName[]): Command {
  for (const name of names) command.option(SETTINGS[name].flag, `${SETTINGS[name].help} [env ${SETTINGS[name].env}]`);
  return command;
}

const STORE_SETTINGS: SettingName[] = ['db', 'pgSchema', 'pgPoolMax', 'logLevel'];

const LIMIT_SETTINGS: SettingName[] = [
  'maxDepth',
  'maxCost',
  'maxAliases',
  'maxDirectives',
  'maxTokens',
  'maxBodyBytes',
  'maxJsonDepth',
  'maxWsMessageBytes',
  'connectionInitTimeoutMs',
  'maxSubscriptionsPerConnection',
  'executionTimeoutMs',
  'persistedOperations',
  'introspection',
  'csrfPrevention',
];

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

withSettings(program.command('serve').description('serve GraphQL over HTTP, SSE and websockets on /graphql'), [
  ...STORE_SETTINGS,
  'host',
  'port',
  'demo',
  'graphiql',
  'redis',
  'redisChannel',
  'corsOrigins',
  'allowedHosts',
  'metricsPort',
  'tokensFile',
  'watch',
  'subscriptionMaxLag',
  'logWatchIntervalMs',
  ...LIMIT_SETTINGS,
]).action(async (opts: ConfigInput & { graphiql?: boolean; introspection?: boolean; csrfPrevention?: boolean }) => {
    const { createApp } = await import('./app.js');
    // commander makes every `--no-x` flag true when absent; only an explicit false may override the environment.
    const config = loadConfig({
      ...opts,
      graphiql: opts.graphiql === false ? false : undefined,
      introspection: opts.introspection === false ? false : undefined,
      csrfPrevention: opts.csrfPrevention === false ? false : undefined,
    });
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

withSettings(
  program
    .command('seed')
    .description('generate realistic synthetic CryoSPARC projects into the database')
    .requiredOption('--jobs <n>', 'total number of jobs', positiveInt)
    .option('--projects <n>', 'number of projects to spread them over', positiveInt, 1)
    .option('--seed <n>', 'random seed (same seed, same data)', positiveInt, 1),
  STORE_SETTINGS,
).action(async (opts: ConfigInput & { jobs: number; projects: number; seed: number }) => {
    const { seedDatabase } = await import('./ingest/seed.js');
    const { jobs, projects, seed, ...settings } = opts;
    const config = loadConfig(settings);
    await seedDatabase({ config, jobs, projects, seed, progress: process.stderr.isTTY });
  });

withSettings(
  program.command('import').description('load a CryoSPARC project directory (project.json, workspaces.json, J*/job.json; v5 or v4 shape)').argument('<dir>', 'project directory'),
  STORE_SETTINGS,
).action(async (dir: string, opts: ConfigInput) => {
  const { runImport } = await import('./ingest/import-command.js');
  const report = await runImport({ config: loadConfig(opts), dir, progress: process.stderr.isTTY });
  if (report.problems.length > 0) process.exitCode = 1;
});

const projectList = (value: string) => {
  const uids = value.split(',').map((v) => v.trim()).filter(Boolean);
  const bad = uids.filter((u) => !/^P\d+$/.test(u));
  if (bad.length > 0) throw new InvalidArgumentError(`expected project uids like P1,P2; got ${bad.join(', ')}`);
  return uids;
};

program
  .command('token')
  .description('manage API tokens')
  .command('create')
  .description('create a token, print it once, and store only its hash in the tokens file')
  .requiredOption('--user <name>', 'who the token is for')
  .option('--read <projects>', 'projects it may read, e.g. P1,P2', projectList, [] as string[])
  .option('--write <projects>', 'projects it may read and change', projectList, [] as string[])
  .option('--admin', 'every project, read and write')
  .option(SETTINGS.tokensFile.flag, `${SETTINGS.tokensFile.help} [env ${SETTINGS.tokensFile.env}]`)
  .action(async (opts: { user: string; read: string[]; write: string[]; admin?: boolean; tokensFile?: string }) => {
    const { createToken } = await import('./server/token-file.js');
    const config = loadConfig({ tokensFile: opts.tokensFile });
    if (!config.tokensFile) throw new ConfigError([`${SETTINGS.tokensFile.flag.split(' ')[0]} / ${SETTINGS.tokensFile.env}: required to create a token`]);
    if (!opts.admin && opts.read.length + opts.write.length === 0) throw new InvalidArgumentError('give --read, --write or --admin: a token without grants sees nothing');
    const { token, entry } = createToken(config.tokensFile, { user: opts.user, admin: opts.admin, read: opts.read, write: opts.write });
    process.stderr.write(`created token ${entry.id} for ${entry.user} in ${config.tokensFile}; it is shown once:\n`);
    process.stdout.write(`${token}\n`);
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
  if (error instanceof InvalidArgumentError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
