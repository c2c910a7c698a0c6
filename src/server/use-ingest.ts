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
}

/** The `POST /ingest` endpoint as a yoga plugin (handled in `onRequest`, before GraphQL). */
export function useIngestEndpoint({ path = '/ingest', maxBodyBytes = MAX_DOCUMENT_BYTES, ...options }: IngestEndpointOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== path) return;
      endResponse(await handleIngestRequest(request, fetchAPI, { ...options, path, maxBodyBytes }));
    },
  };
}
