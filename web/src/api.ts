/**
 * Queries and mutations over HTTP POST /graphql, typed by the codegen client
 * preset (web/gql/). The token, when the tab has one, goes in `Authorization`.
 */
import type { TypedDocumentString } from '../gql/graphql.js';
import { readToken } from './token.js';

/** A GraphQL or transport failure, with the gateway's `extensions.code` (NETWORK when it could not be reached). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const GRAPHQL_PATH = '/graphql';

export async function request<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Promise<TResult> {
  const token = readToken();
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch {
    throw new ApiError('NETWORK', 'the gateway cannot be reached');
  }
  let body: { data?: TResult | null; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError(response.status === 401 ? 'UNAUTHENTICATED' : 'NETWORK', `HTTP ${response.status}`);
  }
  const error = body.errors?.[0];
  if (error) throw new ApiError(error.extensions?.code ?? (response.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL_SERVER_ERROR'), error.message);
  if (!body.data) throw new ApiError('INTERNAL_SERVER_ERROR', 'empty answer');
  return body.data;
}
