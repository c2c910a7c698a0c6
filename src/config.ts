import { z } from 'zod';
import { DEFAULT_LIMITS as LIMITS } from './server/limits.js';

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
  demoActivity: { flag: '--no-demo-activity', env: 'JOBGRAPH_DEMO_ACTIVITY', help: 'with --demo: do not move demo jobs through their lifecycle every few seconds (env: false)' },
  graphiql: { flag: '--no-graphiql', env: 'JOBGRAPH_GRAPHIQL', help: 'do not serve GraphiQL (env: false)' },
  logLevel: { flag: '--log-level <level>', env: 'JOBGRAPH_LOG_LEVEL', help: 'fatal|error|warn|info|debug|trace|silent (default info)' },
  pgSchema: { flag: '--pg-schema <name>', env: 'JOBGRAPH_PG_SCHEMA', help: 'PostgreSQL schema holding the tables (default public)' },
  pgPoolMax: { flag: '--pg-pool-max <n>', env: 'JOBGRAPH_PG_POOL_MAX', help: 'PostgreSQL connections per process (default 10)' },
  tokensFile: { flag: '--tokens-file <path>', env: 'JOBGRAPH_TOKENS_FILE', help: 'API tokens file (hashes and grants); without it the gateway is anonymous and localhost-only' },
  watch: { flag: '--watch <dir>', env: 'JOBGRAPH_WATCH', help: 'CryoSPARC project directory to watch for changed job.json files' },
  redis: { flag: '--redis <url>', env: 'JOBGRAPH_REDIS_URL', help: 'redis:// URL of the event bus shared by several gateways' },
  redisChannel: { flag: '--redis-channel <name>', env: 'JOBGRAPH_REDIS_CHANNEL', help: 'Redis channel of this deployment (default: derived from its database)' },
  corsOrigins: { flag: '--cors-origins <origins>', env: 'JOBGRAPH_CORS_ORIGINS', help: 'other origins allowed to call the gateway from a browser, e.g. http://localhost:5173 (default: none, same origin only)' },
  allowedHosts: { flag: '--allowed-hosts <names>', env: 'JOBGRAPH_ALLOWED_HOSTS', help: 'Host header names served besides loopback ones, e.g. jobgraph.example.org (default: none)' },
  metricsPort: { flag: '--metrics-port <port>', env: 'JOBGRAPH_METRICS_PORT', help: 'serve /metrics on this loopback port instead of the main one' },
  logWatchIntervalMs: { flag: '--log-watch-interval-ms <ms>', env: 'JOBGRAPH_LOG_WATCH_INTERVAL_MS', help: 'how often to look for events the bus did not bring; they arrive within two intervals (default 1000)' },
  subscriptionMaxLag: { flag: '--subscription-max-lag <n>', env: 'JOBGRAPH_SUBSCRIPTION_MAX_LAG', help: 'log positions a subscriber may fall behind before it is cut off (default 10000)' },
  // Limits: see server/limits.ts and the README's Security section.
  maxDepth: { flag: '--max-depth <n>', env: 'JOBGRAPH_MAX_DEPTH', help: `deepest field nesting of an operation (default ${LIMITS.maxDepth})` },
  maxCost: { flag: '--max-cost <n>', env: 'JOBGRAPH_MAX_COST', help: `largest estimated cost of an operation (default ${LIMITS.maxCost})` },
  maxAliases: { flag: '--max-aliases <n>', env: 'JOBGRAPH_MAX_ALIASES', help: `aliases in an operation (default ${LIMITS.maxAliases})` },
  maxDirectives: { flag: '--max-directives <n>', env: 'JOBGRAPH_MAX_DIRECTIVES', help: `directives in an operation (default ${LIMITS.maxDirectives})` },
  maxTokens: { flag: '--max-tokens <n>', env: 'JOBGRAPH_MAX_TOKENS', help: `tokens in a GraphQL document (default ${LIMITS.maxTokens})` },
  maxBodyBytes: { flag: '--max-body-bytes <n>', env: 'JOBGRAPH_MAX_BODY_BYTES', help: `largest request body on /graphql (default ${LIMITS.maxBodyBytes})` },
  maxJsonDepth: { flag: '--max-json-depth <n>', env: 'JOBGRAPH_MAX_JSON_DEPTH', help: `deepest nesting of request variables (default ${LIMITS.maxJsonDepth})` },
  maxWsMessageBytes: { flag: '--max-ws-message-bytes <n>', env: 'JOBGRAPH_MAX_WS_MESSAGE_BYTES', help: `largest websocket message (default ${LIMITS.maxWsMessageBytes})` },
  connectionInitTimeoutMs: { flag: '--connection-init-timeout-ms <ms>', env: 'JOBGRAPH_CONNECTION_INIT_TIMEOUT_MS', help: `time a websocket has to send connection_init (default ${LIMITS.connectionInitTimeoutMs})` },
  maxSubscriptionsPerConnection: { flag: '--max-subscriptions-per-connection <n>', env: 'JOBGRAPH_MAX_SUBSCRIPTIONS_PER_CONNECTION', help: `operations at once on one websocket (default ${LIMITS.maxSubscriptionsPerConnection})` },
  executionTimeoutMs: { flag: '--execution-timeout-ms <ms>', env: 'JOBGRAPH_EXECUTION_TIMEOUT_MS', help: `longest a query or mutation may run (default ${LIMITS.executionTimeoutMs})` },
  persistedOperations: { flag: '--persisted-operations <file>', env: 'JOBGRAPH_PERSISTED_OPERATIONS', help: 'JSON file {"<sha256 of query>": "<query>"}: run only these operations' },
  introspection: { flag: '--no-introspection', env: 'JOBGRAPH_INTROSPECTION', help: 'refuse introspection queries (env: false)' },
  csrfPrevention: { flag: '--no-csrf-prevention', env: 'JOBGRAPH_CSRF_PREVENTION', help: 'accept form and text/plain POSTs without the x-graphql-csrf header (env: false)' },
  // Following a CryoSPARC instance: see sources/cryosparc/ and the README's "Follow a CryoSPARC instance".
  cryosparc: { flag: '--cryosparc <url>', env: 'JOBGRAPH_CRYOSPARC_URL', fallbackEnv: 'CRYOSPARC_BASE_URL', help: 'base URL of a CryoSPARC instance to follow, e.g. http://cryosparc.example.org:61000 (also read from CRYOSPARC_BASE_URL)' },
  cryosparcEmail: { flag: '--cryosparc-email <email>', env: 'JOBGRAPH_CRYOSPARC_EMAIL', help: 'CryoSPARC user to log in as (with --cryosparc-password)' },
  cryosparcPassword: { flag: '--cryosparc-password <password>', env: 'JOBGRAPH_CRYOSPARC_PASSWORD', secret: true, help: 'that user\'s password (sent as its SHA-256 digest, never logged)' },
  cryosparcToken: { flag: '--cryosparc-token <token>', env: 'JOBGRAPH_CRYOSPARC_TOKEN', secret: true, help: 'CryoSPARC access token, instead of email and password (never logged)' },
  cryosparcPollMs: { flag: '--cryosparc-poll-ms <ms>', env: 'JOBGRAPH_CRYOSPARC_POLL_MS', help: 'how often to ask CryoSPARC for changed jobs (default 1000)' },
  cryosparcProjects: { flag: '--cryosparc-projects <uids>', env: 'JOBGRAPH_CRYOSPARC_PROJECTS', help: 'follow only these projects, e.g. P1,P3 (default: all the user can see)' },
} as const satisfies Record<string, { flag: string; env: string; help: string; fallbackEnv?: string; secret?: boolean }>;

/** Settings whose values are secrets: a bad one is reported without its value. */
const isSecret = (name: string): boolean => 'secret' in (SETTINGS[name as SettingName] ?? {});

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

/** A comma-separated list (flag or environment variable) as trimmed, non-empty items. */
const commaList = z.union([z.array(z.string()), z.string()]).transform((value) =>
  (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()).filter((item) => item.length > 0),
);

/** `scheme://host[:port]` and nothing more, as a browser sends it in `Origin`; normalised (lower case, default port dropped). */
const originList = commaList.transform((items, ctx) => {
  const origins: string[] = [];
  for (const item of items) {
    let url: URL | undefined;
    try {
      url = new URL(item);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: `"${item}" is not an origin like http://localhost:5173 (scheme, host and port only)` });
      return z.NEVER;
    }
    origins.push(url.origin);
  }
  return origins;
});

/** Host names (no scheme, no path); a port is allowed but not needed. */
const hostList = commaList.transform((items, ctx) => {
  for (const item of items) {
    if (!/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.?(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/i.test(item)) {
      ctx.addIssue({ code: 'custom', message: `"${item}" is not a host name like jobgraph.example.org` });
      return z.NEVER;
    }
  }
  return items.map((item) => item.toLowerCase());
});

const atLeastOne = z.coerce.number({ error: 'expected a number' }).int({ error: 'expected a whole number' }).min(1, { error: 'expected at least 1' });

export const configSchema = z.object({
  /** SQLite file path or `postgres://` URL. */
  db: z.string().min(1, { error: 'expected a file path or a postgres:// URL' }).default('./data/jobgraph.db'),
  host: z.string().min(1).default('127.0.0.1'),
  port: port.default(4000),
  /** Load the demo projects when the database holds no project. */
  demo: boolish.default(false),
  /** With `demo`: a few demo jobs walk through their lifecycle, one step every few seconds, so live views move. */
  demoActivity: boolish.default(true),
  graphiql: boolish.default(true),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'expected one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  pgSchema: z.string().regex(/^[a-z_][a-z0-9_]*$/, { error: 'expected a lower-case SQL identifier' }).default('public'),
  pgPoolMax: z.coerce.number().int().min(1, { error: 'expected at least 1' }).max(1000).default(10),
  /** `redis://` URL of the event bus shared by several gateways; without it, events stay in this process. */
  redis: z.string().regex(/^rediss?:\/\//, { error: 'expected a redis:// URL' }).optional(),
  /** Redis channel of this deployment; derived from the database when absent, so deployments sharing a Redis never mix. */
  redisChannel: z.string().regex(/^[\x21-\x7e]{1,200}$/, { error: 'expected 1–200 printable ASCII characters without spaces' }).optional(),
  /** Origins (besides the gateway's own) whose pages may call the gateway. */
  corsOrigins: originList.default([]),
  /** Host header values served besides loopback names and addresses (DNS-rebinding protection). */
  allowedHosts: hostList.default([]),
  /** Serve /metrics on this port of 127.0.0.1 instead of on the main port. */
  metricsPort: port.optional(),
  /** How often the event log's head is checked for events the bus did not bring. */
  logWatchIntervalMs: z.coerce.number({ error: 'expected a number' }).int().min(50, { error: 'expected at least 50' }).default(1000),
  /** File of API token hashes and their grants (see `jobgraph token create`). */
  tokensFile: z.string().min(1).optional(),
  /** A CryoSPARC project directory to watch for changed job documents. */
  watch: z.string().min(1).optional(),
  /** Log positions a subscriber may fall behind before it is cut off (websocket close 4429, error SLOW_CONSUMER). */
  subscriptionMaxLag: z.coerce.number({ error: 'expected a number' }).int().min(1, { error: 'expected at least 1' }).default(10_000),
  // Limits: documented in server/limits.ts.
  maxDepth: atLeastOne.default(LIMITS.maxDepth),
  maxCost: atLeastOne.default(LIMITS.maxCost),
  maxAliases: atLeastOne.default(LIMITS.maxAliases),
  maxDirectives: atLeastOne.default(LIMITS.maxDirectives),
  maxTokens: atLeastOne.default(LIMITS.maxTokens),
  maxBodyBytes: atLeastOne.default(LIMITS.maxBodyBytes),
  maxJsonDepth: atLeastOne.default(LIMITS.maxJsonDepth),
  maxWsMessageBytes: atLeastOne.default(LIMITS.maxWsMessageBytes),
  connectionInitTimeoutMs: atLeastOne.default(LIMITS.connectionInitTimeoutMs),
  maxSubscriptionsPerConnection: atLeastOne.default(LIMITS.maxSubscriptionsPerConnection),
  executionTimeoutMs: atLeastOne.default(LIMITS.executionTimeoutMs),
  persistedOperations: z.string().min(1).optional(),
  introspection: boolish.default(LIMITS.introspection),
  csrfPrevention: boolish.default(LIMITS.csrfPrevention),
  /** Base URL of the CryoSPARC instance to follow (its API is under `/api/cmd`); without it nothing is followed. */
  cryosparc: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  cryosparcEmail: z.string().min(1).optional(),
  cryosparcPassword: z.string().min(1).optional(),
  cryosparcToken: z.string().min(1).optional(),
  /** Interval between two polls of CryoSPARC for changed jobs. */
  cryosparcPollMs: z.coerce.number({ error: 'expected a number' }).int({ error: 'expected a whole number' }).min(50, { error: 'expected at least 50' }).default(1000),
  /** Projects to follow; empty = every project the CryoSPARC user can see. */
  cryosparcProjects: commaList
    .refine((uids) => uids.every((u) => /^P[1-9]\d*$/.test(u)), { error: 'expected project uids like P1,P3' })
    .default([]),
}).superRefine((config, ctx) => {
  // Cross-setting rules: each problem is reported on the setting to fix.
  if (!config.cryosparc) {
    for (const name of ['cryosparcEmail', 'cryosparcPassword', 'cryosparcToken'] as const) {
      if (config[name] !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: 'needs --cryosparc (the instance to follow)' });
    }
    return;
  }
  if (config.cryosparcToken !== undefined && (config.cryosparcEmail !== undefined || config.cryosparcPassword !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['cryosparcToken'], message: 'give a token or an email and password, not both' });
  } else if (config.cryosparcToken === undefined) {
    if (config.cryosparcEmail === undefined) ctx.addIssue({ code: 'custom', path: ['cryosparcEmail'], message: 'required with --cryosparc unless --cryosparc-token is given' });
    if (config.cryosparcPassword === undefined) ctx.addIssue({ code: 'custom', path: ['cryosparcPassword'], message: 'required with --cryosparc unless --cryosparc-token is given' });
  }
  if (config.watch !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['watch'], message: 'cannot be used while following a CryoSPARC (--cryosparc): the followed instance is the one source of truth' });
  }
});

export type Config = Readonly<z.output<typeof configSchema>>;
export type ConfigInput = Partial<Record<SettingName, unknown>>;

/** The store settings as `openStore` takes them. */
export function storeOptions(config: Config): { db: string; schema: string; poolMax: number } {
  return { db: config.db, schema: config.pgSchema, poolMax: config.pgPoolMax };
}

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
  for (const [name, setting] of Object.entries(SETTINGS)) {
    const fromFlag = flags[name as SettingName];
    const fromEnv = [env[setting.env], 'fallbackEnv' in setting ? env[setting.fallbackEnv] : undefined].find((value) => value !== undefined && value !== '');
    if (fromFlag !== undefined) raw[name] = fromFlag;
    else if (fromEnv !== undefined) raw[name] = fromEnv;
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0]) as SettingName;
        const setting = SETTINGS[name];
        const label = setting ? `${setting.flag.split(' ')[0]!.replace('--no-', '--')} / ${setting.env}` : name;
        if (isSecret(name) || raw[name] === undefined) return `${label}: ${issue.message}`;
        return `${label}: ${issue.message} (got ${JSON.stringify(raw[name])})`;
      }),
    );
  }
  return Object.freeze(result.data);
}
