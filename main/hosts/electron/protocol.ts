import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { contentSecurityPolicy } from '../csp';
import { isAppUrl } from './channels';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Serves the built display from `root` for app://head-unit/…, with the CSP. Anything outside
 * root (`..`, encoded or not) or on another host is a 404.
 */
export async function serveApp(request: Request, root: string): Promise<Response> {
  const url = new URL(request.url);
  if (!isAppUrl(request.url)) return new Response('not found', { status: 404 });
  const relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '') || 'index.html';
  const path = join(root, relative);
  if (!path.startsWith(root + sep)) return new Response('not found', { status: 404 });
  try {
    const body = await readFile(path);
    return new Response(body, {
      headers: {
        'Content-Type': types[extname(path)] ?? 'application/octet-stream',
        'Content-Security-Policy': contentSecurityPolicy,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch {
    return new Response('not found', { status: 404 });
  }
}
