import { GraphQLError } from 'graphql';
import { type Access, adminAccess } from '../model/access.js';
import type { TokenRegistry } from './token-file.js';

/** Reads `Bearer <token>` (any case), or a bare token. */
export function bearerToken(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(?:bearer\s+)?(\S+)\s*$/i.exec(value);
  return match?.[1];
}

/**
 * Who is calling. Without a tokens file everyone is the anonymous admin (the
 * gateway then listens on 127.0.0.1 only). With one, an unknown or missing
 * token is UNAUTHENTICATED (HTTP 401).
 */
export function resolveAccess(registry: TokenRegistry | null, credential: unknown): Access {
  if (!registry) return adminAccess();
  const token = bearerToken(credential);
  const access = token ? registry.authenticate(token) : undefined;
  if (!access) {
    throw new GraphQLError(token ? 'The token is not valid.' : 'Authentication required: send `Authorization: Bearer <token>`.', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } },
    });
  }
  return access;
}

/** The credential a graphql-ws client sent in its `connection_init` payload. */
export function connectionCredential(params: Readonly<Record<string, unknown>> | undefined): unknown {
  if (!params) return undefined;
  return params.authorization ?? params.Authorization ?? params.token ?? (params.headers as Record<string, unknown> | undefined)?.authorization;
}

/**
 * Who may scrape GET /metrics on the main port: everyone without a tokens
 * file (the gateway is then loopback-only); with one, a token granted
 * `metrics` or `admin` (401 without a known token, 403 with one lacking the grant).
 */
export function authorizeMetrics(registry: TokenRegistry | null, credential: unknown): 'ok' | 401 | 403 {
  if (!registry) return 'ok';
  const token = bearerToken(credential);
  const grants = token ? registry.grantsOf(token) : undefined;
  if (!grants) return 401;
  return grants.admin || grants.metrics ? 'ok' : 403;
}
