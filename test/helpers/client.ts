import type { TypedDocumentString } from '../gql/graphql.js';

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

/** POSTs a typed operation to a real server with fetch. */
export function execute<TResult, TVariables>(
  url: string,
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<GraphQLResponse<TResult> & { status: number; request: string }> {
  return executeWith(url, {}, document, variables as TVariables);
}

/** `execute` with extra request headers (e.g. `authorization`). */
export async function executeWith<TResult, TVariables>(
  url: string,
  headers: Record<string, string>,
  document: TypedDocumentString<TResult, TVariables>,
  variables?: TVariables,
): Promise<GraphQLResponse<TResult> & { status: number; request: string }> {
  const request = JSON.stringify({ query: document.toString(), variables });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: request,
  });
  const body = (await response.json()) as GraphQLResponse<TResult>;
  return { ...body, status: response.status, request };
}

/** The data of a response that must have succeeded; otherwise throws with the whole exchange. */
export function expectData<T>(response: GraphQLResponse<T> & { request?: string }): T {
  if (response.errors?.length || response.data == null) {
    throw new Error(`expected data, got errors:\nrequest: ${response.request}\nresponse: ${JSON.stringify(response, null, 2)}`);
  }
  return response.data;
}

/** The error codes of a response that must have failed. */
export function expectErrors(response: GraphQLResponse<unknown> & { request?: string }): { codes: (string | undefined)[]; messages: string[] } {
  if (!response.errors?.length) {
    throw new Error(`expected errors, got data:\nrequest: ${response.request}\nresponse: ${JSON.stringify(response, null, 2)}`);
  }
  return { codes: response.errors.map((e) => e.extensions?.code), messages: response.errors.map((e) => e.message) };
}
