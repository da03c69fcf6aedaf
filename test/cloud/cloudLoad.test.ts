import { watch } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootCore } from '../../main/boot';
import { parseOptions, type StartOptions } from '../../main/options';
import { useTempDirs } from '../support/tempDir';

/** The embedded cloud shares the head unit's process: no client can exhaust it, and a clean stop keeps its world. */
const tempDir = useTempDirs();

async function boot(dir: string) {
  const options = parseOptions(['--data-dir', dir, '--cloud-port', '0', '--lang', 'en'], {}) as StartOptions;
  return bootCore(options);
}

const form = (body: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(body).toString(),
});

describe('the embedded cloud under load', () => {
  it("takes 10,000 refused POSTs with the head unit's memory bounded, writing nothing (nothing changed)", async () => {
    const dir = await tempDir();
    const booted = await boot(dir);
    let writes = 0;
    const watcher = watch(dir, (_event, name) => {
      if (name === 'cloud-world.json') writes += 1;
    });
    try {
      const url = new URL('oauth/token', booted.cloud!.url);
      const before = process.memoryUsage().rss;
      let refused = 0;
      for (let round = 0; round < 100; round++) {
        const answers = await Promise.all(
          Array.from({ length: 100 }, () => fetch(url, form({ grant_type: 'refresh_token', refresh_token: 'junk', client_id: 'idrive-head-unit' }))),
        );
        for (const answer of answers) {
          if (answer.status >= 400) refused += 1;
          await answer.arrayBuffer();
        }
      }
      expect(refused).toBe(10_000);
      const grown = (process.memoryUsage().rss - before) / 2 ** 20;
      console.log(`rss grew ${grown.toFixed(0)} MiB over 10,000 refused POSTs`);
      expect(grown).toBeLessThan(300);
      // (at most the first save of a world that was never written, and the one that records the
      // SM-DP+'s port once it listens: the refusals changed nothing)
      expect(writes).toBeLessThanOrEqual(2);
    } finally {
      watcher.close();
      await booted.stop();
    }
  }, 60_000);

  it('keeps every token it issued across a clean stop', async () => {
    const dir = await tempDir();
    const booted = await boot(dir);
    const tokens: string[] = [];
    for (let i = 0; i < 40; i++) {
      const answer = await fetch(
        new URL('oauth/token', booted.cloud!.url),
        form({ grant_type: 'password', username: 'taro@example.com', password: 'bmw-id-demo', client_id: 'idrive-head-unit' }),
      );
      tokens.push(String(((await answer.json()) as { access_token: string }).access_token));
    }
    await booted.stop();
    const again = await boot(dir);
    try {
      const known = await Promise.all(
        tokens.map(async (token) => (await fetch(new URL('oauth/userinfo', again.cloud!.url), { headers: { authorization: `Bearer ${token}` } })).status),
      );
      expect(known.filter((status) => status === 200).length).toBe(tokens.length);
    } finally {
      await again.stop();
    }
  }, 60_000);
});
