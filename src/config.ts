import { z } from 'zod';

/**
 * Every setting, its flag and its environment variable. Flags win over the
 * environment; the environment wins over defaults. Nothing else in jobgraph
 * reads `process.env`.
 */
export const SETTINGS = {
  db: { flag: '--db', env: 'JOBGRAPH_DB' },
  host: { flag: '--host', env: 'JOBGRAPH_HOST' },
  port: { flag: '--port', env: 'JOBGRAPH_PORT' },
  demo: { flag: '--demo', env: 'JOBGRAPH_DEMO' },
  graphiql: { flag: '--graphiql', env: 'JOBGRAPH_GRAPHIQL' },
  logLevel: { flag: '--log-level', env: 'JOBGRAPH_LOG_LEVEL' },
  pgSchema: { flag: '--pg-schema', env: 'JOBGRAPH_PG_SCHEMA' },
  pgPoolMax: { flag: '--pg-pool-max', env: 'JOBGRAPH_PG_POOL_MAX' },
  watch: { flag: '--watch', env: 'JOBGRAPH_WATCH' },
  redis: { flag: '--redis', env: 'JOBGRAPH_REDIS_URL' },
  logWatchIntervalMs: { flag: '--log-watch-interval-ms', env: 'JOBGRAPH_LOG_WATCH_INTERVAL_MS' },
  subscriptionMaxQueue: { flag: '--subscription-max-queue', env: 'JOBGRAPH_SUBSCRIPTION_MAX_QUEUE' },
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
  /** A CryoSPARC project directory to watch for changed job documents. */
  watch: z.string().min(1).optional(),
  /** Events a subscriber may fall behind by before it is cut off (websocket close 4429, error SLOW_CONSUMER). */
  subscriptionMaxQueue: z.coerce.number({ error: 'expected a number' }).int().min(1, { error: 'expected at least 1' }).default(1000),
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
        const label = setting ? `${setting.flag} / ${setting.env}` : name;
        return `${label}: ${issue.message} (got ${JSON.stringify(raw[name])})`;
      }),
    );
  }
  return Object.freeze(result.data);
}
