import { GraphQLError } from 'graphql';
import { isJobgraphError } from '../model/errors.js';

/**
 * The one place where domain errors become GraphQL errors. A JobgraphError
 * keeps its message and gains `extensions.code`; anything else returns
 * undefined and is masked by the server. The error is coded in place: yoga
 * logs every error whose masked form is a different object, and an expected
 * error is not worth an error-level log line.
 */
export function toGraphQLError(error: unknown): GraphQLError | undefined {
  if (!(error instanceof GraphQLError)) {
    return isJobgraphError(error) ? new GraphQLError(error.message, { extensions: codeOf(error) }) : undefined;
  }
  const original = error.originalError;
  if (original === undefined || original === null) return error;
  if (isJobgraphError(original)) {
    Object.assign(error.extensions as Record<string, unknown>, codeOf(original));
    return error;
  }
  if (original instanceof GraphQLError) {
    // e.g. a scalar's coded parse error wrapped in "Variable $x got invalid value …"
    Object.assign(error.extensions as Record<string, unknown>, original.extensions);
    return error;
  }
  return undefined;
}

function codeOf(error: { code: string; details?: Readonly<Record<string, unknown>> | undefined }) {
  return { code: error.code, ...(error.details ? { details: error.details } : {}) };
}
