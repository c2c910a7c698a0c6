import type { Plugin } from 'graphql-yoga';
import { SUBSCRIPTION_TRANSPORTS } from './use-subscription-transports.js';

/** Codes of the 4xx answers yoga (or a plugin) gives without a body. */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
};

/**
 * Every 4xx has a body: an answer that left it empty (yoga's 406 when no
 * transport in `Accept` can carry the result, 404 on an unknown path, a 405)
 * gets the JSON error shape of every other refusal, headers kept. A 406 names
 * the media types that work (`extensions.accept`) and, for subscriptions,
 * the transports (`extensions.transports`).
 */
export function useErrorBodies(): Plugin {
  return {
    onResponse({ response, setResponse, fetchAPI }) {
      const { status } = response;
      if (status < 400 || status >= 500 || response.body !== null) return;
      const code = CODE_BY_STATUS[status] ?? 'BAD_REQUEST';
      const extensions: Record<string, unknown> = { code };
      let message = `The request was refused (HTTP ${status}).`;
      if (status === 404) message = 'Nothing is served at this path; GraphQL is at /graphql.';
      if (status === 405) message = `Use ${response.headers.get('allow') ?? 'another method'} here.`;
      if (status === 406) {
        message =
          'No media type in Accept can carry this result. Queries and mutations: application/graphql-response+json or application/json. Subscriptions: text/event-stream (SSE), multipart/mixed;subscriptionSpec=1.0 (Apollo Client), or the graphql-transport-ws websocket.';
        extensions.accept = ['application/graphql-response+json', 'application/json', 'text/event-stream', 'multipart/mixed;subscriptionSpec=1.0'];
        extensions.transports = SUBSCRIPTION_TRANSPORTS;
      }
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('content-type', 'application/json; charset=utf-8');
      headers.delete('content-length');
      setResponse(new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions }] }), { status, statusText: response.statusText, headers }));
    },
  };
}
