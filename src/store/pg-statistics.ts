/**
 * Table statistics on PostgreSQL servers that do not keep them. With
 * autovacuum off (some managed and test servers), a table loaded by an import
 * is never analysed, and the planner, guessing, hashes a whole project's jobs
 * to join a few walked ones (5.8 ms instead of 0.4 ms for a lineage page).
 * Then the gateway does what autovacuum would: after as many job rows as
 * autovacuum's analyse threshold (50 + 10 % of the table) were written, it
 * analyses the job tables once, in the background, never two at a time and
 * at most once a second; closing the store runs a waiting analysis, so an
 * import leaves the statistics of what it loaded.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from './database.js';

const BASE_THRESHOLD = 50;
const SCALE_FACTOR = 0.1;
/**
 * Least time from the start of one analysis to the next. Autovacuum looks at
 * a table once per `autovacuum_naptime` (a minute); without a pause, an import
 * of 10,000 jobs in batches of 500 analysed the tables after every batch.
 */
const MIN_INTERVAL_MS = 1000;
const JOB_TABLES = sql`jobs, job_edges, job_workspaces, job_tags`;

export class PgStatistics {
  private written = 0;
  private rows = 0;
  private running: Promise<void> | undefined;
  /** An analysis waiting for {@link MIN_INTERVAL_MS} to pass. */
  private waiting: NodeJS.Timeout | undefined;
  private lastStarted = Number.NEGATIVE_INFINITY;
  private needed: Promise<boolean> | undefined;
  private serverKeepsThem = false;

  constructor(private readonly db: Kysely<Database>) {}

  /** Counts rows written; past the threshold, analyses (when the server will not). */
  wrote(rows: number): void {
    if (this.serverKeepsThem) return;
    this.written += rows;
    if (this.running || this.waiting || this.written < BASE_THRESHOLD + SCALE_FACTOR * this.rows) return;
    const wait = this.lastStarted + MIN_INTERVAL_MS - performance.now();
    if (wait > 0) {
      this.waiting = setTimeout(() => this.start(), wait);
      this.waiting.unref();
      return;
    }
    this.start();
  }

  /** Resolves once a running analysis is over, running a waiting one now (tests, shutdown: an import leaves its statistics). */
  async settled(): Promise<void> {
    if (this.waiting) this.start();
    await this.running;
  }

  private start(): void {
    clearTimeout(this.waiting);
    this.waiting = undefined;
    this.lastStarted = performance.now();
    this.running = this.analyse().finally(() => {
      this.running = undefined;
      // Rows written while it ran may already call for the next one.
      this.wrote(0);
    });
  }

  private async analyse(): Promise<void> {
    const written = this.written;
    try {
      this.needed ??= sql<{ on: string }>`select current_setting('autovacuum') as on`
        .execute(this.db)
        .then(({ rows }) => rows[0]?.on !== 'on');
      if (!(await this.needed)) {
        this.serverKeepsThem = true;
        return;
      }
      await sql`analyze ${JOB_TABLES}`.execute(this.db);
      const { rows } = await sql<{ n: number }>`select reltuples::float8 as n from pg_class where oid = 'jobs'::regclass`.execute(this.db);
      this.rows = Math.max(0, Number(rows[0]?.n ?? 0));
    } catch {
      // Statistics are an optimisation: a failed analysis (pool closed, permissions) changes no answer.
    }
    this.written -= written;
  }
}
