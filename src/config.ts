import { z } from 'zod';

/**
 * Every setting, its flag and its environment variable. Flags win over the
 * environment; the environment wins over defaults. Nothing else in jobgraph
 * reads `process.env`.
 */
export const SETTINGS = {
  db: { flag: '--db <path-or-url>', env: 'JOBGRAPH_DB', help: 'SQLite file or postgres:// URL (default ./data/jobgraph.db)' },
  host: { flag: '--host <host>', env: 'JOBGRAPH_HOST', help: 'interface to bind (default 127.0.0.1)' },
  port: { flag: '--port <port>', env: 'JOBGRAPH_PORT', help: 'port to listen on, 0 for any free one (default 4000)' },
  demo: { flag: '--demo', env: 'JOBGRAPH_DEMO', help: 'load the demo projects when the database has no project' },
  graphiql: { flag: '--no-graphiql', env: 'JOBGRAPH_GRAPHIQL', help: 'do not serve GraphiQL (env: false)' },
  logLevel: { flag: '--log-level <level>', env: 'JOBGRAPH_LOG_LEVEL', help: 'fatal|error|warn|info|debug|trace|silent (default info)' },
  pgSchema: { flag: '--pg-schema <name>', env: 'JOBGRAPH_PG_SCHEMA', help: 'PostgreSQL schema holding the tables (default public)' },
  pgPoolMax: { flag: '--pg-pool-max <n>', env: 'JOBGRAPH_PG_POOL_MAX', help: 'PostgreSQL connections per process (default 10)' },
  tokensFile: { flag: '--tokens-file <path>', env: 'JOBGRAPH_TOKENS_FILE', help: 'API tokens file (hashes and grants); without it the gateway is anonymous and localhost-only' },
  watch: { flag: '--watch <dir>', env: 'JOBGRAPH_WATCH', help: 'CryoSPARC project directory to watch for changed job.json files' },
  redis: { flag: '--redis <url>', env: 'JOBGRAPH_REDIS_URL', help: 'redis:// URL of the event bus shared by several gateways' },
  logWatchIntervalMs: { flag: '--log-watch-interval-ms <ms>', env: 'JOBGRAPH_LOG_WATCH_INTERVAL_MS', help: 'how often to look for events the bus did not bring (default 1000)' },
  subscriptionMaxLag: { flag: '--subscription-max-lag <n>', env: 'JOBGRAPH_SUBSCRIPTION_MAX_LAG', help: 'log positions a subscriber may fall behind before it is cut off (default 10000)' },
} as const;

export type SettingName = keyof typeof SETTINGS;

const boolish = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { error: 'expected true or false' }).transform((v) => ['true', '1', 'yes', 'on'].includes(v)),
]);

const port = z.coerce
  .number({ error: 'expected a port number' })
  .int({ error: 'expected a whole number' })
  .min(0, { error: 'expected 0–65535' })
  .max(65535, { error: 'expected 0–65535' });

export const configSchema = z.object({
  /** SQLite file path or `postgres://` URL. */
  db: z.string().min(1, { error: 'expected a file path or a postgres:// URL' }).default('./data/jobgraph.db'),
  host: z.string().min(1).default('127.0.0.1'),
  port: port.default(4000),
  /** Load the demo projects when the database holds no project. */
  demo: boolish.default(false),
  graphiql: boolish.default(true),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'expected one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  pgSchema: z.string().regex(/^[a-z_][a-z0-9_]*$/, { error: 'expected a lower-case SQL identifier' }).default('public'),
  pgPoolMax: z.coerce.number().int().min(1, { error: 'expected at least 1' }).max(1000).default(10),
  /** `redis://` URL of the event bus shared by several gateways; without it, events stay in this process. */
  redis: z.string().regex(/^rediss?:\/\//, { error: 'expected a redis:// URL' }).optional(),
  /** How often the event log's head is checked for events the bus did not bring. */
  logWatchIntervalMs: z.coerce.number({ error: 'expected a number' }).int().min(50, { error: 'expected at least 50' }).default(1000),
  /** File of API token hashes and their grants (see `jobgraph token create`). */
  tokensFile: z.string().min(1).optional(),
  /** A CryoSPARC project directory to watch for changed job documents. */
  watch: z.string().min(1).optional(),
  /** Log positions a subscriber may fall behind before it is cut off (websocket close 4429, error SLOW_CONSUMER). */
  subscriptionMaxLag: z.coerce.number({ error: 'expected a number' }).int().min(1, { error: 'expected at least 1' }).default(10_000),
});

export type Config = Readonly<z.output<typeof configSchema>>;
export type ConfigInput = Partial<Record<SettingName, unknown>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Merges flags over the environment over defaults, validates all of it, and
 * reports every bad setting at once, naming both its flag and its variable.
 */
export function loadConfig(flags: ConfigInput = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const [name, { env: variable }] of Object.entries(SETTINGS)) {
    const fromFlag = flags[name as SettingName];
    const fromEnv = env[variable];
    if (fromFlag !== undefined) raw[name] = fromFlag;
    else if (fromEnv !== undefined && fromEnv !== '') raw[name] = fromEnv;
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0]) as SettingName;
        const setting = SETTINGS[name];
        const label = setting ? `${setting.flag.split(' ')[0]!.replace('--no-', '--')} / ${setting.env}` : name;
        return `${label}: ${issue.message} (got ${JSON.stringify(raw[name])})`;
      }),
    );
  }
  return Object.freeze(result.data);
}
