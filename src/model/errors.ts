/**
 * Expected failures of jobgraph. Each class carries a stable `code`; only
 * `schema/errors.ts` maps these to GraphQL `extensions.code`. Anything that is
 * not a {@link JobgraphError} is an unexpected failure and gets masked.
 */

/** Options shared by every {@link JobgraphError}. */
export interface JobgraphErrorOptions {
  /** Machine-readable context (ids, limits, statuses); safe to show to clients. */
  details?: Readonly<Record<string, unknown>>;
  /** The underlying error, kept for logs. */
  cause?: unknown;
}

/** Base class of all expected errors; `code` is stable and part of the API. */
export class JobgraphError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, options: JobgraphErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'JobgraphError';
    this.code = code;
    this.details = options.details;
  }
}

/** A job, project, workspace or other record does not exist. */
export class NotFoundError extends JobgraphError {
  constructor(message: string, options?: JobgraphErrorOptions) {
    super('NOT_FOUND', message, options);
    this.name = 'NotFoundError';
  }
}

/** A status change that the job lifecycle does not allow (see `job-status.ts`). */
export class InvalidTransitionError extends JobgraphError {
  constructor(message: string, options?: JobgraphErrorOptions) {
    super('INVALID_TRANSITION', message, options);
    this.name = 'InvalidTransitionError';
  }
}

/** A pagination cursor that is malformed or was not issued by us. */
export class BadCursorError extends JobgraphError {
  constructor(message: string, options?: JobgraphErrorOptions) {
    super('BAD_CURSOR', message, options);
    this.name = 'BadCursorError';
  }
}

/** Client input that is well-typed but invalid (e.g. a uid like `X1`). */
export class BadInputError extends JobgraphError {
  constructor(message: string, options?: JobgraphErrorOptions) {
    super('BAD_USER_INPUT', message, options);
    this.name = 'BadInputError';
  }
}

/** The viewer may not read or change this record. */
export class ForbiddenError extends JobgraphError {
  constructor(message: string, options?: JobgraphErrorOptions) {
    super('FORBIDDEN', message, options);
    this.name = 'ForbiddenError';
  }
}

/** A requested page is larger than the configured maximum. */
export class PageSizeError extends JobgraphError {
  constructor(message: string, options?: JobgraphErrorOptions) {
    super('PAGE_SIZE_EXCEEDED', message, options);
    this.name = 'PageSizeError';
  }
}

/** A CryoSPARC document failed validation; `issues` holds one `path: message` line per problem. */
export class InvalidDocumentError extends JobgraphError {
  readonly issues: readonly string[];

  constructor(message: string, issues: readonly string[], options?: JobgraphErrorOptions) {
    super('INVALID_DOCUMENT', message, { ...options, details: { ...options?.details, issues } });
    this.name = 'InvalidDocumentError';
    this.issues = issues;
  }
}

/** A dependency (database, Redis) is unreachable; the request may be retried. */
export class UnavailableError extends JobgraphError {
  constructor(message: string, options?: JobgraphErrorOptions) {
    super('SERVICE_UNAVAILABLE', message, options);
    this.name = 'UnavailableError';
  }
}

/** A subscriber fell too far behind; it should resubscribe with `since` = its last cursor. */
export class SlowConsumerError extends JobgraphError {
  constructor(message: string, options?: JobgraphErrorOptions) {
    super('SLOW_CONSUMER', message, options);
    this.name = 'SlowConsumerError';
  }
}

/** The followed CryoSPARC refused an action; the message is CryoSPARC's. Nothing changed locally. */
export class UpstreamError extends JobgraphError {
  constructor(message: string, options?: JobgraphErrorOptions) {
    super('UPSTREAM_ERROR', message, options);
    this.name = 'UpstreamError';
  }
}

/** The followed CryoSPARC cannot be reached (or answered 5xx); nothing changed and nothing is sent later. Retryable. */
export class UpstreamUnavailableError extends JobgraphError {
  constructor(message: string, options?: JobgraphErrorOptions) {
    super('UPSTREAM_UNAVAILABLE', message, { ...options, details: { ...options?.details, retryable: true } });
    this.name = 'UpstreamUnavailableError';
  }
}

/**
 * A status only CryoSPARC's scheduler sets (launched, started, running,
 * waiting) was asked of a followed CryoSPARC.
 */
export class SchedulerStatusError extends JobgraphError {
  constructor(message: string, options?: JobgraphErrorOptions) {
    super('SCHEDULER_STATUS', message, options);
    this.name = 'SchedulerStatusError';
  }
}

/**
 * Data was pushed to a gateway that follows a CryoSPARC (`POST /ingest`,
 * `--watch`, `import`): the followed instance is the one source of truth.
 */
export class UpstreamFollowedError extends JobgraphError {
  constructor(message: string, options?: JobgraphErrorOptions) {
    super('UPSTREAM_FOLLOWED', message, options);
    this.name = 'UpstreamFollowedError';
  }
}

/** True for any expected jobgraph error (any subclass). */
export function isJobgraphError(error: unknown): error is JobgraphError {
  return error instanceof JobgraphError;
}
