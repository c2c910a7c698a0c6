import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { VerifyClientCallbackAsync } from 'ws';

/**
 * Same origin by default: which `Host` the gateway answers to and which
 * `Origin` may call it from a browser. One pure function, `checkOrigin`,
 * decides for every HTTP request (http-guards.ts, before yoga) and every
 * websocket upgrade (ws.ts), in anonymous and token mode alike.
 *
 * - `Host` must be one the gateway serves, or a page on another name that
 *   resolves to this machine (DNS rebinding) could read it: loopback names and
 *   addresses (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`) with any
 *   port, the names in `--allowed-hosts` (any port unless the entry names
 *   one), and the address the server is bound to (with a wildcard bind, the
 *   addresses of this machine's interfaces). Otherwise 403 `FORBIDDEN_HOST`.
 *   A request without `Host` (HTTP/1.0; node refuses HTTP/1.1 without one)
 *   passes: browsers always send it.
 * - `Origin`, when present, must be the gateway's own origin — host and port as
 *   the request's own `Host` names them, scheme http or https (https when a
 *   TLS proxy is in front) — or one listed in `--cors-origins`. Otherwise 403
 *   `FORBIDDEN_ORIGIN`; `Origin: null` and other ports of the same host are
 *   foreign. Requests without `Origin` (curl, scripts, server-side clients)
 *   are not browsers acting for a page, and pass.
 */
export interface OriginPolicy {
  /** Browser origins allowed besides the gateway's own, normalised (`http://localhost:5173`). */
  readonly corsOrigins: ReadonlySet<string>;
  /** `--allowed-hosts` entries, parsed. */
  readonly allowedHosts: readonly HostName[];
  /** The bound address or name when it is a specific one (not loopback, not a wildcard). */
  readonly boundHost: string | undefined;
  /** With a wildcard bind (0.0.0.0, ::): whether an IP literal is one of this machine's addresses. */
  readonly isLocalAddress: ((hostname: string) => boolean) | undefined;
}

export interface OriginPolicySettings {
  corsOrigins?: readonly string[];
  allowedHosts?: readonly string[];
  /** The interface the server listens on (`--host`, or 127.0.0.1 when anonymous). */
  bindHost?: string;
}

export type OriginVerdict =
  | { ok: true; /** The request's Origin when it is an allowed other origin (gets CORS headers), else undefined. */ corsOrigin: string | undefined }
  | { ok: false; status: 403; code: 'FORBIDDEN_HOST' | 'FORBIDDEN_ORIGIN'; message: string };

/** A host name (normalised as a URL parser does: lower case, canonical IP literals, IPv6 in brackets) and an optional port. */
export interface HostName {
  hostname: string;
  port: string | undefined;
}

const WILDCARDS = new Set(['0.0.0.0', '[::]']);

export function createOriginPolicy({ corsOrigins = [], allowedHosts = [], bindHost }: OriginPolicySettings = {}): OriginPolicy {
  const hosts = allowedHosts.map((entry) => {
    const parsed = parseHost(entry);
    if (!parsed) throw new Error(`"${entry}" is not a host name`);
    return parsed;
  });
  const bound = bindHost === undefined ? undefined : parseHost(isIP(bindHost) === 6 ? `[${bindHost}]` : bindHost)?.hostname;
  const wildcard = bound !== undefined && WILDCARDS.has(bound);
  return {
    corsOrigins: new Set(corsOrigins.map((origin) => normaliseOrigin(origin) ?? origin)),
    allowedHosts: hosts,
    boundHost: bound === undefined || wildcard || isLoopback(bound) ? undefined : bound,
    isLocalAddress: wildcard ? isLocalInterfaceAddress : undefined,
  };
}

/** Decides a request or upgrade from its `Host` and `Origin` headers. Pure apart from `policy.isLocalAddress`. */
export function checkOrigin(headers: Pick<IncomingHttpHeaders, 'host' | 'origin'>, policy: OriginPolicy): OriginVerdict {
  const hostHeader = headers.host;
  if (hostHeader !== undefined && !servesHost(hostHeader, policy)) {
    return { ok: false, status: 403, code: 'FORBIDDEN_HOST', message: 'This gateway does not serve that host name (see --allowed-hosts).' };
  }
  const origin = headers.origin;
  if (origin === undefined) return { ok: true, corsOrigin: undefined };
  const normalised = normaliseOrigin(origin);
  if (normalised !== undefined && policy.corsOrigins.has(normalised)) return { ok: true, corsOrigin: origin };
  if (normalised !== undefined && hostHeader !== undefined && normalised === ownOrigin(normalised, hostHeader)) return { ok: true, corsOrigin: undefined };
  return { ok: false, status: 403, code: 'FORBIDDEN_ORIGIN', message: 'Requests from another origin are refused (see --cors-origins).' };
}

/** The refusal as a JSON body, the shape of every other error the gateway answers before GraphQL. */
export function refusalBody(verdict: Extract<OriginVerdict, { ok: false }>): string {
  return JSON.stringify({ errors: [{ message: verdict.message, extensions: { code: verdict.code } }] });
}

/** ws `verifyClient`: a refused upgrade gets the same 403 and JSON body as an HTTP request, and no websocket. */
export function verifyUpgrade(policy: OriginPolicy): VerifyClientCallbackAsync<IncomingMessage> {
  return ({ req }, done) => {
    const verdict = checkOrigin(req.headers, policy);
    if (verdict.ok) done(true);
    else done(false, verdict.status, refusalBody(verdict), { 'Content-Type': 'application/json; charset=utf-8' });
  };
}

/**
 * yoga's `cors` option: CORS headers only for an allowed other origin (the
 * guard has refused every foreign one already); same-origin and Origin-less
 * requests get none. `Vary: Origin` is set by the guard on every answer.
 */
export function corsOptions(policy: OriginPolicy) {
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !policy.corsOrigins.has(normaliseOrigin(origin) ?? '')) return false as const;
    const requested = request.headers.get('access-control-request-headers');
    return {
      origin,
      credentials: true,
      methods: ['GET', 'POST'],
      // Given explicitly (the requested ones), so that yoga does not replace `Vary: Origin`.
      allowedHeaders: requested ? requested.split(',').map((name) => name.trim()).filter((name) => name.length > 0) : undefined,
      maxAge: 600,
    };
  };
}

function servesHost(value: string, policy: OriginPolicy): boolean {
  const host = parseHost(value);
  if (!host) return false;
  if (isLoopback(host.hostname)) return true;
  if (host.hostname === policy.boundHost) return true;
  for (const entry of policy.allowedHosts) {
    // A Host without a port is on the default port: 80, or 443 behind a TLS proxy.
    if (entry.hostname === host.hostname && (entry.port === undefined || entry.port === host.port || (host.port === undefined && (entry.port === '80' || entry.port === '443')))) return true;
  }
  return policy.isLocalAddress !== undefined && isIpLiteral(host.hostname) && policy.isLocalAddress(host.hostname);
}

/** `name[:port]` or `[v6][:port]` → normalised parts; undefined when it is not a host (a path, user info, spaces …). */
export function parseHost(value: string): HostName | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!match) return undefined;
  let hostname: string;
  try {
    hostname = new URL(`http://${match[1]}/`).hostname;
  } catch {
    return undefined;
  }
  if (hostname.endsWith('.')) hostname = hostname.slice(0, -1);
  return { hostname, port: match[2] === undefined ? undefined : String(Number(match[2])) };
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function isIpLiteral(hostname: string): boolean {
  return hostname.startsWith('[') || isIP(hostname) === 4;
}

function isLocalInterfaceAddress(hostname: string): boolean {
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if (parseHost(info.family === 'IPv6' ? `[${info.address}]` : info.address)?.hostname === hostname) return true;
    }
  }
  return false;
}

/** An http(s) Origin as browsers serialise it (lower case, default port dropped); undefined for `null` and anything else. */
function normaliseOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    return bare && /^https?:$/.test(url.protocol) ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The gateway's own origin under the scheme the Origin uses, with host and port from the Host header. */
function ownOrigin(origin: string, hostHeader: string): string | undefined {
  const scheme = origin.startsWith('https:') ? 'https:' : 'http:';
  const host = parseHost(hostHeader);
  if (!host) return undefined;
  try {
    return new URL(`${scheme}//${host.hostname}${host.port === undefined ? '' : `:${host.port}`}`).origin;
  } catch {
    return undefined;
  }
}
