/**
 * The browser viewer (web/, built by `npm run build` into dist/web/) as a yoga
 * plugin: GET and HEAD of the app's routes — `/`, `/projects/:projectUid`,
 * `/projects/:projectUid/jobs/:jobUid` — answer the app's page, so that deep
 * links survive a reload; `/assets/*` answer the built files. Everything else
 * (GraphQL and GraphiQL on `/graphql`, `/health`, …) goes on.
 *
 * The page is never cached (it names the current assets); the assets carry a
 * content hash in their name and are cached for a year. The page and its
 * assets need no token: the app asks for one and sends it with its requests.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';

export interface ViewerOptions {
  /** Directory of the built viewer (index.html and assets/). @default dist/web of the package */
  dir?: string;
  /** The gateway has a tokens file: the page says so (`<html data-auth="token">`), and the app asks for a token before its first request. @default false */
  tokensRequired?: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** The app's routes (a project or job uid is letters and digits). */
const ROUTE = /^\/(?:projects\/[A-Za-z0-9]+(?:\/jobs\/[A-Za-z0-9]+)?\/?)?$/;

/** The same page and asset rules for every request; files are read once, on first use. */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

interface Built {
  page: Buffer | undefined;
  assets: Map<string, Buffer>;
}

export function useViewer({ dir = fileURLToPath(new URL('../../dist/web/', import.meta.url)), tokensRequired = false }: ViewerOptions = {}): Plugin {
  let built: Built | undefined;
  const load = (): Built => {
    if (built?.page) return built;
    const assets = new Map<string, Buffer>();
    let page: Buffer | undefined;
    try {
      const html = readFileSync(join(dir, 'index.html'), 'utf8');
      page = Buffer.from(tokensRequired ? html.replace('<html lang="en">', '<html lang="en" data-auth="token">') : html);
      for (const name of readdirSync(join(dir, 'assets'))) assets.set(name, readFileSync(join(dir, 'assets', name)));
    } catch {
      page = undefined;
    }
    built = { page, assets };
    return built;
  };
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const path = url.pathname;
      const head = request.method === 'HEAD';
      if (ROUTE.test(path)) {
        const { page } = load();
        if (!page) {
          endResponse(new fetchAPI.Response('The viewer is not built: run `npm run build`. GraphQL is on /graphql.\n', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } }));
          return;
        }
        endResponse(
          new fetchAPI.Response(head ? null : (page as unknown as BodyInit), {
            headers: {
              'content-type': 'text/html; charset=utf-8',
              'cache-control': 'no-cache',
              'content-security-policy': "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; worker-src 'self'; frame-ancestors 'none'",
              ...SECURITY_HEADERS,
            },
          }),
        );
        return;
      }
      const name = path.startsWith('/assets/') ? path.slice('/assets/'.length) : path === '/favicon.ico' ? 'favicon.svg' : undefined;
      if (name === undefined) return;
      const body = load().assets.get(name);
      if (!body) {
        endResponse(new fetchAPI.Response('Not found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
        return;
      }
      const hashed = /-[A-Z0-9]{8}\.[a-z]+$/.test(name);
      endResponse(
        new fetchAPI.Response(head ? null : (body as unknown as BodyInit), {
          headers: {
            'content-type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
            'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
            ...SECURITY_HEADERS,
          },
        }),
      );
    },
  };
}
