import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core';
import { contentSecurityPolicy } from '../../main/hosts/csp';
import type { WebHost } from '../../main/hosts/web/server';
import { bareWebHost } from '../support/bareWebHost';
import { useTempDirs } from '../support/tempDir';

/** The display's files as a browser fetches them from the web host (served once first asked for). */
const tempDir = useTempDirs();
let host: WebHost | undefined;
let core: Core | undefined;
afterEach(async () => {
  await host?.close();
  await core?.stop();
  host = core = undefined;
});

const page = '<!doctype html><title>iDrive</title><script src="/assets/app.js"></script>';
const script = 'console.log("display");';

async function start(token?: string): Promise<string> {
  const dir = await tempDir();
  const started = await bareWebHost(dir, token ? { token } : {});
  ({ core, host } = started);
  await writeFile(join(dir, 'renderer', 'index.html'), page);
  await mkdir(join(dir, 'renderer', 'assets'));
  await writeFile(join(dir, 'renderer', 'assets', 'app.js'), script);
  return started.host.url;
}

/** One request as it leaves a browser (the raw path kept: fetch would resolve `..` itself). */
function get(url: string, path: string, options: { method?: string; cookie?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const req = request({ host: hostname, port, path, method: options.method ?? 'GET', headers: options.cookie ? { cookie: options.cookie } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe("the web host's display files", () => {
  it('serves the page and its assets with the display’s security headers, a HEAD without a body', async () => {
    const url = await start();
    // (both at once: the first requests meet the files' server still being made)
    const [index, asset] = await Promise.all([get(url, '/'), get(url, '/assets/app.js')]);
    expect(index).toMatchObject({ status: 200, body: page });
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(asset).toMatchObject({ status: 200, body: script });
    expect(asset.headers['content-type']).toMatch(/^(application|text)\/javascript/);
    for (const answer of [index, asset]) {
      expect(answer.headers['content-security-policy']).toBe(contentSecurityPolicy);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
    }
    const head = await get(url, '/index.html', { method: 'HEAD' });
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(page)));
  });

  it('answers 404 for a file it does not have and never serves one outside its folder', async () => {
    const url = await start();
    expect((await get(url, '/assets/missing.js')).status).toBe(404);
    for (const path of ['/../bareWebHost.ts', '/assets/%2e%2e/%2e%2e/data/settings.json', '/%2e%2e/renderer/index.html']) {
      const answer = await get(url, path);
      expect([403, 404], path).toContain(answer.status);
      expect(answer.body).not.toContain('doctype');
    }
    expect((await get(url, '/ready')).status).toBe(204);
  });

  it('with a token: refuses a file without it, and keeps the cookie a ?token= visit sets for the page’s assets', async () => {
    const url = await start('display-token');
    expect((await get(url, '/')).status).toBe(401);
    expect((await get(url, '/assets/app.js')).status).toBe(401);
    const visit = await get(url, '/?token=display-token');
    expect(visit).toMatchObject({ status: 200, body: page });
    const cookie = String(visit.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(visit.headers['content-security-policy']).toBe(contentSecurityPolicy);
    const asset = await get(url, '/assets/app.js', { cookie: cookie.split(';')[0]! });
    expect(asset).toMatchObject({ status: 200, body: script });
  });
});
