/** What a raw HTTP exchange returned: status, text, and the GraphQL body when there is one. */
export interface RawResponse {
  status: number;
  text: string;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[] } | undefined;
  /** `extensions.code` of each error. */
  codes: (string | undefined)[];
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | ReadableStream<Uint8Array>;
}

/**
 * Sends exactly what a test (or an attacker) wants, for requests the typed
 * client cannot express: wrong content types, broken JSON, odd bytes.
 * POSTs JSON-typed by default.
 */
export async function send(url: string, { method = 'POST', headers = {}, body }: RawRequest = {}): Promise<RawResponse> {
  const response = await fetch(url, {
    method,
    headers: { accept: 'application/graphql-response+json', ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...headers },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const text = await response.text();
  let parsed: RawResponse['body'];
  try {
    parsed = JSON.parse(text) as RawResponse['body'];
  } catch {
    parsed = undefined;
  }
  return { status: response.status, text, body: parsed, codes: parsed?.errors?.map((e) => e.extensions?.code) ?? [] };
}

/** POSTs `{ query, variables, extensions }` as JSON. */
export function sendQuery(url: string, query: string, variables?: unknown, extra: { extensions?: unknown; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return send(url, { body: JSON.stringify({ query, variables, extensions: extra.extensions }), headers: extra.headers });
}
