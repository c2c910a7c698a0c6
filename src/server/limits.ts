/**
 * What one client may ask of the gateway. Every limit has a stable error
 * code, a default here, a flag and an environment variable (config.ts), and
 * a line in the README's "Security" section.
 */
export interface Limits {
  /**
   * Deepest field nesting of an operation (`{ jobs { edges { node { uid } } } }` is 4).
   * The deepest operation we ship (JobDetail) is 6. Over it: `DEPTH_LIMIT_EXCEEDED`.
   * @default 12
   */
  maxDepth: number;
  /**
   * Largest estimated cost of an operation: every field costs 1, a list multiplies its
   * selection by 10, a connection by its `first`/`last` (default 20) and `lineage` by
   * its `limit` (default 1,000). Over it: `COST_LIMIT_EXCEEDED`.
   *
   * 50,000 admits the heaviest operations real clients send — one job with every field
   * (≈ 8,000), a 100-job page with parents and children (≈ 6,600), the lineage drawing
   * selection at the default 1,000 nodes (≈ 12,000) and up to ~4,000 nodes — and rejects
   * pages nested in pages, e.g. 100 jobs × 100 ancestors × their parents (≈ 130,000).
   * A client drawing lineages of 10,000 nodes needs about 120,000.
   * @default 50000
   */
  maxCost: number;
  /** Aliased fields in an operation (`__typename` aliases are free). Over it: `ALIAS_LIMIT_EXCEEDED`. @default 15 */
  maxAliases: number;
  /** Directives in an operation (`@include`, `@skip`, …). Over it: `DIRECTIVE_LIMIT_EXCEEDED`. @default 20 */
  maxDirectives: number;
  /**
   * Lexical tokens in a document, counted while parsing so that a huge document is
   * dropped before it is built. JobDetail, our largest, has 332.
   * Over it: `TOKEN_LIMIT_EXCEEDED`.
   * @default 2000
   */
  maxTokens: number;
  /**
   * Items per page (`first`/`last`) of every connection. Enforced by the store
   * (`MAX_PAGE_SIZE` in store/kysely-shared.ts); listed here for the record, not
   * configurable. Over it: `PAGE_SIZE_EXCEEDED`.
   * @default 100
   */
  readonly maxPageSize: 100;
  /**
   * Largest `limit` of `lineage`. Enforced by the schema (`MAX_LINEAGE_NODES` in
   * schema/lineage.ts); listed here for the record, not configurable.
   * Over it: `BAD_USER_INPUT`.
   * @default 10000
   */
  readonly maxLineageNodes: 10000;
  /** Largest HTTP request body on `/graphql`, in bytes. Over it: HTTP 413 `PAYLOAD_TOO_LARGE`. @default 1048576 (1 MiB) */
  maxBodyBytes: number;
  /**
   * Deepest nesting of arrays and objects in a request's JSON (`variables`, `extensions`).
   * Our deepest input is 3; a deeper value only makes work for the server (and cannot be
   * logged). Over it: HTTP 400 `BAD_REQUEST`.
   * @default 64
   */
  maxJsonDepth: number;
  /** Largest websocket message, in bytes. Over it the socket is closed with 1009 (message too big). @default 1048576 (1 MiB) */
  maxWsMessageBytes: number;
  /** How long a websocket may stay open without sending `connection_init`. After it: close 4408. @default 3000 */
  connectionInitTimeoutMs: number;
  /** Operations running at once on one websocket. Over it: `SUBSCRIPTION_LIMIT_EXCEEDED`. @default 20 */
  maxSubscriptionsPerConnection: number;
  /**
   * How long a query or mutation may execute before the client is answered with
   * `EXECUTION_TIMEOUT` (subscriptions are not timed). Resolvers already running are
   * not interrupted; a mutation that was cut off may still commit.
   * @default 10000
   */
  executionTimeoutMs: number;
  /**
   * JSON file `{ "<sha256 hex of the query>": "<query>" }`, checked at start. When
   * set, only these operations run, named by `extensions.persistedQuery.sha256Hash`
   * (Apollo's shape) over HTTP, SSE and websockets. An unknown hash:
   * `PERSISTED_QUERY_NOT_FOUND`; a query text: `PERSISTED_QUERY_ONLY`; neither:
   * `PERSISTED_QUERY_ID_REQUIRED`.
   * @default undefined (any operation runs)
   */
  persistedOperations?: string | undefined;
  /**
   * Answer introspection (`__schema`, `__type`). When off: `INTROSPECTION_DISABLED`, and
   * validation errors no longer suggest field names (GraphiQL then has no schema).
   * @default true
   */
  introspection: boolean;
  /**
   * Reject POSTs a browser may send cross-site without a CORS preflight: a POST with a
   * form or text/plain content type needs an `x-graphql-csrf` header (any value).
   * Otherwise: HTTP 403 `CSRF_HEADER_REQUIRED`. GETs need nothing: they can only query
   * or subscribe (a mutation over GET is 405).
   * @default true
   */
  csrfPrevention: boolean;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxDepth: 12,
  maxCost: 50_000,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 2000,
  maxPageSize: 100,
  maxLineageNodes: 10_000,
  maxBodyBytes: 1024 * 1024,
  maxJsonDepth: 64,
  maxWsMessageBytes: 1024 * 1024,
  connectionInitTimeoutMs: 3000,
  maxSubscriptionsPerConnection: 20,
  executionTimeoutMs: 10_000,
  persistedOperations: undefined,
  introspection: true,
  csrfPrevention: true,
});

/** Limits from settings named like the {@link Limits} fields (such as the config); missing ones take their default. */
export function limitsFrom(settings: { readonly [K in keyof Limits]?: Limits[K] | undefined }): Limits {
  const limits: Record<string, unknown> = { ...DEFAULT_LIMITS };
  for (const name of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
    if (name === 'maxPageSize' || name === 'maxLineageNodes') continue;
    if (settings[name] !== undefined) limits[name] = settings[name];
  }
  return limits as unknown as Limits;
}
