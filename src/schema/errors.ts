import { GraphQLError } from 'graphql';
import { isJobgraphError } from '../model/errors.js';

/**
 * The one place where domain errors become GraphQL errors. A JobgraphError
 * keeps its message and gains `extensions.code`; anything else is left for
 * the server to mask.
 */
export function toGraphQLError(error: unknown): GraphQLError | undefined {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (isJobgraphError(original)) {
    return new GraphQLError(original.message, {
      nodes: error instanceof GraphQLError ? error.nodes : undefined,
      path: error instanceof GraphQLError ? error.path : undefined,
      extensions: { code: original.code, ...(original.details ? { details: original.details } : {}) },
    });
  }
  if (error instanceof GraphQLError && !error.originalError) return error;
  if (error instanceof GraphQLError && error.originalError instanceof GraphQLError) return error.originalError;
  return undefined;
}
