#!/usr/bin/env -S node --max-semi-space-size=64
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, type ConfigInput, SETTINGS, type SettingName, loadConfig, storeOptions } from './config.js';
import { StartupError } from './startup-error.js';

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
  'demoActivity',
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
  'cryosparc',
  'cryosparcEmail',
  'cryosparcPassword',
  'cryosparcToken',
  'cryosparcPollMs',
  'cryosparcProjects',
  ...LIMIT_SETTINGS,
]).action(async (opts: ConfigInput & { graphiql?: boolean; demoActivity?: boolean; introspection?: boolean; csrfPrevention?: boolean }) => {
    const { serve } = await import('./commands/serve.js');
    // commander makes every `--no-x` flag true when absent; only an explicit false may override the environment.
    await serve(
      loadConfig({
        ...opts,
        graphiql: opts.graphiql === false ? false : undefined,
        demoActivity: opts.demoActivity === false ? false : undefined,
        introspection: opts.introspection === false ? false : undefined,
        csrfPrevention: opts.csrfPrevention === false ? false : undefined,
      }),
    );
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
    const { seedDatabase } = await import('./commands/seed.js');
    const { jobs, projects, seed, ...settings } = opts;
    await seedDatabase({ store: storeOptions(loadConfig(settings)), jobs, projects, seed, progress: process.stderr.isTTY });
  });

withSettings(
  program.command('import').description('load a CryoSPARC project directory (project.json, workspaces.json, J*/job.json; v5 or v4 shape)').argument('<dir>', 'project directory'),
  STORE_SETTINGS,
).action(async (dir: string, opts: ConfigInput) => {
  const { importCommand } = await import('./commands/import.js');
  await importCommand(dir, opts, process.stderr.isTTY);
});

const projectList = (value: string) => {
  const uids = value.split(',').map((v) => v.trim()).filter(Boolean);
  const bad = uids.filter((u) => !/^P\d+$/.test(u));
  if (bad.length > 0) throw new InvalidArgumentError(`expected project uids like P1,P2; got ${bad.join(', ')}`);
  return uids;
};

const tokenCommand = program.command('token').description('manage API tokens: create, list, revoke');
const tokensFileOption = [SETTINGS.tokensFile.flag, `${SETTINGS.tokensFile.help} [env ${SETTINGS.tokensFile.env}]`] as const;
const requireTokensFile = (tokensFile: string | undefined, what: string): string => {
  const config = loadConfig({ tokensFile });
  if (!config.tokensFile) throw new ConfigError([`${SETTINGS.tokensFile.flag.split(' ')[0]} / ${SETTINGS.tokensFile.env}: required to ${what}`]);
  return config.tokensFile;
};

tokenCommand
  .command('create')
  .description('create a token, print it once, and store only its hash in the tokens file')
  .requiredOption('--user <name>', 'who the token is for')
  .option('--read <projects>', 'projects it may read, e.g. P1,P2', projectList, [] as string[])
  .option('--write <projects>', 'projects it may read and change', projectList, [] as string[])
  .option('--admin', 'every project, read and write')
  .option('--metrics', 'may scrape GET /metrics (no access to job data by itself)')
  .option(...tokensFileOption)
  .action(async (opts: { user: string; read: string[]; write: string[]; admin?: boolean; metrics?: boolean; tokensFile?: string }) => {
    const { createTokenCommand } = await import('./commands/token.js');
    createTokenCommand(requireTokensFile(opts.tokensFile, 'create a token'), opts);
  });

tokenCommand
  .command('revoke')
  .description('remove a token (by the id `token create` printed) or every token of a user; a running gateway drops them at once')
  .argument('[id]', 'id of the token')
  .option('--user <name>', 'revoke every token of this user')
  .option(...tokensFileOption)
  .action(async (id: string | undefined, opts: { user?: string; tokensFile?: string }) => {
    const { revokeTokenCommand } = await import('./commands/token.js');
    revokeTokenCommand(requireTokensFile(opts.tokensFile, 'revoke a token'), id, opts.user);
  });

tokenCommand
  .command('list')
  .description('print the tokens: id, user, grants and creation time (never the tokens or their hashes)')
  .option(...tokensFileOption)
  .action(async (opts: { tokensFile?: string }) => {
    const { listTokensCommand } = await import('./commands/token.js');
    listTokensCommand(requireTokensFile(opts.tokensFile, 'list tokens'));
  });

program
  .command('cryosparc-sim')
  .description('run a stand-in for a CryoSPARC instance (built from the public client\'s contract; not CryoSPARC) to follow with serve --cryosparc')
  .requiredOption('--port <port>', 'port to listen on (127.0.0.1), 0 for any free one', (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number 0–65535');
    return n;
  })
  .option('--jobs <n>', 'jobs in all', positiveInt, 1000)
  .option('--projects <n>', 'projects to spread them over', positiveInt, 1)
  .option('--seed <n>', 'random seed (same seed, same data)', positiveInt, 1)
  .option('--activity', 'move jobs through their lifecycle by themselves (queued → launched → started → running → completed or failed)')
  .option('--activity-ms <ms>', 'interval between two activity steps', positiveInt, 1000)
  .option('--email <email>', 'the user login accepts', 'admin@example.org')
  .option('--password <password>', 'that user\'s password', 'password')
  .option('--token <token>', 'also accept this bearer token without login')
  .action(async (opts: { port: number; jobs: number; projects: number; seed: number; activity?: boolean; activityMs: number; email: string; password: string; token?: string }) => {
    const { runCryosparcSim } = await import('./commands/cryosparc-sim.js');
    await runCryosparcSim({ ...opts, activity: opts.activity === true });
  });

program
  .command('schema')
  .description('print the GraphQL schema (SDL)')
  .option('--possible-types', "print the possibleTypes map of interfaces and unions (JSON) that Apollo Client's cache needs, as possible-types.json holds it")
  .action(async (opts: { possibleTypes?: boolean }) => {
    const { printSchema } = await import('./commands/schema.js');
    printSchema({ possibleTypes: opts.possibleTypes === true });
  });

program.parseAsync().catch((error: unknown) => {
  if (error instanceof InvalidArgumentError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof StartupError) {
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
