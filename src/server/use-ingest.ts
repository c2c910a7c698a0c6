/**
 * `POST /ingest` as a yoga plugin: requests to the endpoint's path are
 * answered, before GraphQL, by the HTTP ingest source
 * (`sources/http-ingest/ingest-request.ts`, which documents the endpoint).
 */
import type { Plugin } from 'graphql-yoga';
import { MAX_DOCUMENT_BYTES } from '../model/document-limits.js';
import { type IngestRequestOptions, handleIngestRequest } from '../sources/http-ingest/ingest-request.js';

export interface IngestEndpointOptions extends Omit<IngestRequestOptions, 'path'> {
  /** URL path of the endpoint. @default '/ingest' */
  path?: string;
  /** When set, every request is refused with 409 `UPSTREAM_FOLLOWED` and this message (a followed CryoSPARC is the one source of truth). @default undefined */
  refusal?: string | undefined;
}

/** The `POST /ingest` endpoint as a yoga plugin (handled in `onRequest`, before GraphQL). */
export function useIngestEndpoint({ path = '/ingest', maxBodyBytes = MAX_DOCUMENT_BYTES, refusal, ...options }: IngestEndpointOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== path) return;
      if (refusal !== undefined) {
        endResponse(new fetchAPI.Response(JSON.stringify({ code: 'UPSTREAM_FOLLOWED', message: refusal }), { status: 409, headers: { 'content-type': 'application/json; charset=utf-8' } }));
        return;
      }
      endResponse(await handleIngestRequest(request, fetchAPI, { ...options, path, maxBodyBytes }));
    },
  };
}
