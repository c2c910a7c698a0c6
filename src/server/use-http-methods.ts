import type { Plugin } from 'graphql-yoga';

/** Methods the GraphQL endpoint serves (OPTIONS: CORS preflights, answered by yoga). */
const ALLOWED = new Set(['GET', 'POST', 'OPTIONS']);

/**
 * Refuses every other method on the GraphQL endpoint first — before CSRF,
 * body parsing or content negotiation — with 405 `METHOD_NOT_ALLOWED`,
 * `Allow: GET, POST` and a JSON body, whatever the request's `Accept`. This is
 * what graphql-sse's single connection mode, which starts with a `PUT`, gets.
 * (A mutation over GET is yoga's 405 `BAD_REQUEST` with `Allow: POST`.)
 */
export function useHttpMethods({ endpoint }: { /** Path of the GraphQL endpoint. */ endpoint: string }): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint || ALLOWED.has(request.method)) return;
      const body = JSON.stringify({ errors: [{ message: `${request.method} is not served here: use GET (queries, subscriptions) or POST.`, extensions: { code: 'METHOD_NOT_ALLOWED' } }] });
      endResponse(new fetchAPI.Response(body, { status: 405, headers: { allow: 'GET, POST', 'content-type': 'application/json; charset=utf-8' } }));
    },
  };
}
