import type { LogEvent } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventBus } from './events/event-bus.js';

/** Outcome of one GraphQL operation: `ok`, `error` (executed, with errors) or `invalid` (rejected by parse or validation). */
export type OperationOutcome = 'ok' | 'error' | 'invalid';

/** `query`, `mutation`, `subscription`, or `unknown` when the document did not parse. */
export type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';

/** Why a status event did not reach a subscriber as it happened. */
export type DropReason = 'slow_consumer';

/**
 * The gateway's Prometheus metrics, all in one registry of their own (two apps
 * in one process, as in the tests, do not share counters).
 *
 * Label values are bounded: `operation` is the operation name, `anonymous`
 * without one, or `other` once {@link MetricsOptions.maxOperationNames} names
 * have been seen; `statement` is the `/* name *\/` of a store statement or `other`.
 */
export interface Metrics {
  registry: Registry;
  /** `graphql_requests_total{operation,type,outcome}`: operations over HTTP, SSE and websockets. Subscriptions count once, when they start (or are refused). */
  requests: Counter<'operation' | 'type' | 'outcome'>;
  /** `graphql_request_duration_seconds{operation,type}`: parse to result; for a subscription, until its stream is set up. */
  requestDuration: Histogram<'operation' | 'type'>;
  /** `graphql_active_subscriptions{operation}`: subscriptions currently open. */
  activeSubscriptions: Gauge<'operation'>;
  /** `status_events_published_total`: committed status events this process announced on the bus. */
  eventsPublished: Counter;
  /** `status_events_delivered_total`: status events handed to subscribers (one per subscriber per event). */
  eventsDelivered: Counter;
  /** `status_events_dropped_total{reason}`: events a subscriber did not get live; `slow_consumer` counts the log positions it was behind when cut off. */
  eventsDropped: Counter<'reason'>;
  /** `sql_statement_duration_seconds{statement}`: every statement the store ran. */
  sqlDuration: Histogram<'statement'>;
  /** Bounds the `operation` label: the name itself, `anonymous`, or `other` past the cap. */
  operationLabel(name: string | null | undefined): string;
  /** For `openStore({ onQuery })`: times a statement by its `/* name *\/`. */
  observeQuery(event: LogEvent): void;
}

export interface MetricsOptions {
  /** Distinct operation names kept as label values; later ones are counted as `other`. @default 200 */
  maxOperationNames?: number;
  /** Also collect prom-client's default process metrics (CPU, RSS, heap, event loop lag, GC). @default true */
  defaultMetrics?: boolean;
}

const REQUEST_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SQL_BUCKETS_S = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const STATEMENT_NAME = /\/\* (\w+) \*\//;
const MAX_LABEL_LENGTH = 100;

export function createMetrics({ maxOperationNames = 200, defaultMetrics = true }: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL operations by operation name, type and outcome (ok, error, invalid), over HTTP, SSE and websockets.',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time from parse to result of a GraphQL operation; for a subscription, until its stream is set up.',
    labelNames: ['operation', 'type'] as const,
    buckets: REQUEST_BUCKETS_S,
    registers: [registry],
  });
  const activeSubscriptions = new Gauge({
    name: 'graphql_active_subscriptions',
    help: 'Subscriptions currently open, by operation name.',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const eventsPublished = new Counter({
    name: 'status_events_published_total',
    help: 'Committed status events this process announced on the event bus.',
    registers: [registry],
  });
  const eventsDelivered = new Counter({
    name: 'status_events_delivered_total',
    help: 'Status events handed to subscribers (one per subscriber and event).',
    registers: [registry],
  });
  const eventsDropped = new Counter({
    name: 'status_events_dropped_total',
    help: 'Status events subscribers did not receive live; slow_consumer: log positions a subscriber was behind when it was cut off (it resumes from its cursor).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const sqlDuration = new Histogram({
    name: 'sql_statement_duration_seconds',
    help: 'Execution time of store statements, by the /* name */ they carry (other when none).',
    labelNames: ['statement'] as const,
    buckets: SQL_BUCKETS_S,
    registers: [registry],
  });

  const operationNames = new Set<string>();
  const operationLabel = (name: string | null | undefined) => {
    if (!name) return 'anonymous';
    if (operationNames.has(name)) return name;
    if (operationNames.size >= maxOperationNames || name.length > MAX_LABEL_LENGTH) return 'other';
    operationNames.add(name);
    return name;
  };

  return {
    registry,
    requests,
    requestDuration,
    activeSubscriptions,
    eventsPublished,
    eventsDelivered,
    eventsDropped,
    sqlDuration,
    operationLabel,
    observeQuery(event) {
      sqlDuration.observe({ statement: statementName(event.query.sql) }, event.queryDurationMillis / 1000);
    },
  };
}

/** The `/* name *\/` a store statement carries, or `other`. */
export function statementName(sql: string): string {
  // Kysely's modifyEnd puts the name last; raw statements put it first. Looking at both ends keeps a 500-row insert cheap.
  const match = STATEMENT_NAME.exec(sql.length > 400 ? `${sql.slice(0, 200)} ${sql.slice(-200)}` : sql);
  return match?.[1] ?? 'other';
}

/** The bus, counting every event published through it in `status_events_published_total`. */
export function countPublishedEvents(bus: EventBus, metrics: Pick<Metrics, 'eventsPublished'>): EventBus {
  return {
    async publish(events) {
      await bus.publish(events);
      if (events.length > 0) metrics.eventsPublished.inc(events.length);
    },
    announceHead: (head) => bus.announceHead(head),
    subscribe: (listener) => bus.subscribe(listener),
    isReady: () => bus.isReady(),
    close: () => bus.close(),
  };
}

/** Metrics of the CryoSPARC follower (registered only when a CryoSPARC is followed). */
export interface CryosparcMetrics {
  /** `cryosparc_polls_total{outcome}`: polls (and the first sync) of the instance, `ok` or `error`. */
  polls: Counter<'outcome'>;
  /** `cryosparc_errors_total{kind}`: `unavailable`, `refused`, `invalid_document`, `database`. */
  errors: Counter<'kind'>;
  /** `cryosparc_requests_total{operation}`: HTTP requests sent to the instance, by operation summary. */
  requests: Counter<'operation'>;
  /** `cryosparc_documents_applied_total`: job documents written from the instance. */
  documentsApplied: Counter;
  /** `cryosparc_change_lag_seconds`: from a change's `updated_at` (CryoSPARC's clock) to its status event. */
  changeLag: Histogram;
  /** `cryosparc_up`: 1 when the instance answered the last exchange, else 0. */
  up: Gauge;
}

const LAG_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60, 300];

export function registerCryosparcMetrics({ registry }: Pick<Metrics, 'registry'>): CryosparcMetrics {
  return {
    polls: new Counter({ name: 'cryosparc_polls_total', help: 'Polls of the followed CryoSPARC (and its first sync), by outcome.', labelNames: ['outcome'] as const, registers: [registry] }),
    errors: new Counter({ name: 'cryosparc_errors_total', help: 'Problems while following CryoSPARC: unavailable, refused, invalid_document, database.', labelNames: ['kind'] as const, registers: [registry] }),
    requests: new Counter({ name: 'cryosparc_requests_total', help: 'HTTP requests sent to the followed CryoSPARC, by operation.', labelNames: ['operation'] as const, registers: [registry] }),
    documentsApplied: new Counter({ name: 'cryosparc_documents_applied_total', help: 'Job documents from CryoSPARC written to the database.', registers: [registry] }),
    changeLag: new Histogram({ name: 'cryosparc_change_lag_seconds', help: "Time from a job change's updated_at in CryoSPARC to its status event in jobgraph.", buckets: LAG_BUCKETS_S, registers: [registry] }),
    up: new Gauge({ name: 'cryosparc_up', help: '1 when the followed CryoSPARC answered the last exchange, else 0.', registers: [registry] }),
  };
}
