import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';

import { composeFile, startFleet, type Fleet } from '../support/fleet';
import { addByEmail } from '../support/driver';

/**
 * The fleet example (docs/fleet/compose.yaml) at a small N, as processes: one shared BMW ID
 * cloud, three headless head units behind the fleet's automation token, all logging in at once.
 */
let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.stop();
  fleet = undefined;
});

describe('a fleet of head units on one shared cloud', () => {
  it('starts as the compose file says, and every unit logs in to the shared cloud at the same time', async () => {
    fleet = await startFleet(3, { shared: true });
    expect(fleet.cloudUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const accounts = [
      ['hanako@example.com', 'onenumber-demo'],
      ['taro@example.com', 'bmw-id-demo'],
      ['hanako@example.com', 'onenumber-demo'],
    ] as const;
    await Promise.all(
      fleet.units.map(async ({ car }, i) => {
        await car.button('MENU');
        await addByEmail(car, accounts[i]![0], accounts[i]![1]);
      }),
    );
    for (const [i, { car }] of fleet.units.entries()) {
      await car.touch('bmwId');
      const profiles = (await car.screen()).items.filter((item) => item.id.startsWith('profile.') && item.id !== 'profile.guest');
      expect(
        profiles.map((p) => p.label),
        `unit ${i}`,
      ).toEqual([accounts[i]![0] === 'taro@example.com' ? 'Taro Yamada' : 'Hanako Suzuki']);
    }
  }, 60_000);

  it('passes the compose file’s health checks, as the image’s shell runs them, without the token', async () => {
    fleet = await startFleet(1, { shared: true });
    const compose = parse(await readFile(composeFile, 'utf8')) as {
      services: Record<string, { healthcheck: { test: string }; deploy?: { replicas: number } }>;
    };
    expect(compose.services['head-unit']!.deploy?.replicas).toBeGreaterThan(1);
    const port = (url: string) => new URL(url).port;
    const checks = [
      compose.services.cloud!.healthcheck.test.replace(':4731/', `:${port(fleet.cloudUrl!)}/`),
      compose.services['head-unit']!.healthcheck.test.replace(':4730/', `:${port(fleet.units[0]!.url)}/`),
    ];
    for (const check of checks) await promisify(execFile)('sh', ['-c', check]);
    // and with the unit stopped, its check fails
    fleet.units[0]!.process.kill('SIGTERM');
    await new Promise((resolve) => fleet!.units[0]!.process.once('exit', resolve));
    await expect(promisify(execFile)('sh', ['-c', checks[1]!])).rejects.toMatchObject({ code: 1 });
  }, 30_000);

  it('refuses a unit driven without the fleet’s token', async () => {
    fleet = await startFleet(1, { shared: true });
    expect((await fetch(fleet.units[0]!.url)).status).toBe(401);
  }, 30_000);
});
