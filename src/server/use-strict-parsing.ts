import { isUtf8 } from 'node:buffer';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { readBodyAtMost } from '../sources/http-ingest/read-body.js';

export interface StrictParsingOptions {
  /** Deepest nesting of arrays and objects in `variables` and `extensions` (see `Limits.maxJsonDepth`). */
  maxJsonDepth: number;
  /** Largest request body read (see `Limits.maxBodyBytes`). */
  maxBodyBytes: number;
}

/**
 * Hostile request bodies become coded 4xx answers before GraphQL sees them:
 *
 * - a content type yoga has no parser for: 415 `UNSUPPORTED_MEDIA_TYPE`;
 * - a body that is not UTF-8, malformed JSON (also in GET/form `variables`),
 *   or `variables`/`extensions` nested deeper than `maxJsonDepth`: 400 `BAD_REQUEST`
 *   (whatever the Accept header: the request is not a GraphQL request at all);
 * - a body larger than `maxBodyBytes`: 413 `PAYLOAD_TOO_LARGE` (the server
 *   refuses a declared length above it before yoga, and chunked bodies, in
 *   http-guards.ts; this is the backstop for other hosts of the app). The body
 *   is read once, here: yoga's own limiter (turned off in yoga.ts) piped every
 *   body through a TransformStream to count its bytes, a fifth of a small
 *   query's time;
 * - a document nested too deeply for graphql-js's recursive parser (e.g. `[[[…]]]`
 *   a thousand levels deep, still under the token limit): 400 `GRAPHQL_PARSE_FAILED`,
 *   over HTTP and websockets, instead of a masked stack overflow.
 */
export function useStrictParsing({ maxJsonDepth, maxBodyBytes }: StrictParsingOptions): Plugin {
  return {
    onParse() {
      return ({ result, replaceParseResult }) => {
        if (result instanceof RangeError) {
          replaceParseResult(
            new GraphQLError('The document is nested too deeply to parse.', { extensions: { code: 'GRAPHQL_PARSE_FAILED', http: { status: 400 } } }),
          );
        }
      };
    },
    onRequestParse({ request, requestParser, setRequestParser, endResponse, fetchAPI }) {
      // Other methods are refused by yoga (405) later on.
      if (!requestParser && request.method !== 'POST') return;
      if (!requestParser) {
        const type = request.headers.get('content-type') ?? 'none';
        return endResponse(
          new fetchAPI.Response(
            JSON.stringify({
              errors: [
                {
                  message: `Unsupported content type ${JSON.stringify(type)}: POST application/json (or application/graphql, or a form with the x-graphql-csrf header), or GET.`,
                  extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
                },
              ],
            }),
            { status: 415, headers: { 'content-type': 'application/json; charset=utf-8' } },
          ),
        );
      }
      const parse = requestParser;
      setRequestParser(async (incoming) => {
        let parsed: Awaited<ReturnType<typeof parse>>;
        try {
          parsed = await parse(await asUtf8Request(incoming, fetchAPI.Request, maxBodyBytes));
        } catch (error) {
          throw asBadRequest(error);
        }
        if (parsed instanceof fetchAPI.Response) return parsed;
        for (const params of Array.isArray(parsed) ? parsed : [parsed]) {
          if (deeperThan(params?.variables, maxJsonDepth) || deeperThan(params?.extensions, maxJsonDepth)) {
            throw badRequest(`variables or extensions are nested deeper than ${maxJsonDepth} levels.`);
          }
        }
        return parsed;
      });
    },
  };
}

/** The same request with its body read (at most `maxBytes`) and checked to be UTF-8 (a GET passes through). */
async function asUtf8Request(request: Request, RequestCtor: typeof Request, maxBytes: number): Promise<Request> {
  if (request.body == null) return request;
  const bytes = await readBody(request, maxBytes);
  if (!isUtf8(bytes)) throw badRequest('The request body is not valid UTF-8.');
  return new RequestCtor(request.url, { method: request.method, headers: request.headers, body: bytes });
}

/**
 * The body's bytes, refused above `maxBytes`: by its declared length before a
 * byte is read (Node's parser ends a body at its declared length), or, for a
 * body without one, as soon as it grows past the limit.
 */
async function readBody(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get('content-length');
  if (declared !== null) {
    // One non-negative integer, nothing else (a list of lengths is a request-smuggling attempt).
    if (!/^\d+$/.test(declared)) throw badRequest('The content-length header is not a single byte count.');
    if (Number(declared) > maxBytes) throw tooLarge(maxBytes);
    return new Uint8Array(await request.arrayBuffer());
  }
  const bytes = await readBodyAtMost(request, maxBytes);
  if (!bytes) throw tooLarge(maxBytes);
  return bytes;
}

function tooLarge(maxBytes: number): GraphQLError {
  return new GraphQLError(`The request body exceeds ${maxBytes} bytes.`, { extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status: 413 } } });
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}

function asBadRequest(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) {
    const code = error.extensions.code;
    if (code === 'PAYLOAD_TOO_LARGE') return error;
    // yoga's parse errors: coded already; `spec` would turn them into 200s for application/json clients.
    if (typeof code === 'string') return badRequest(error.message);
    return error;
  }
  // e.g. JSON.parse of GET or form `variables`
  return badRequest(`Malformed request: ${error instanceof Error ? error.message : String(error)}`);
}

/** True when `value` nests arrays/objects more than `levels` deep; recursion stops at `levels`. */
function deeperThan(value: unknown, levels: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (levels === 0) return true;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    if (deeperThan(child, levels - 1)) return true;
  }
  return false;
}
