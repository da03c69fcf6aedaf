import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { startCloud, type Cloud } from '../../cloud/server';
import { defaultScenario } from '../../shared/scenario';

/**
 * The cloud against DNS rebinding: a page elsewhere whose name was rebound to 127.0.0.1 sends its
 * own name in Host (and its origin), and is refused everywhere, admin and SMS inbox included.
 */
let cloud: Cloud;
beforeAll(async () => {
  cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
});
afterAll(async () => cloud.close());

/** A request with the headers a browser would send (fetch cannot set Host). */
function send(path: string, method: string, headers: Record<string, string>): Promise<number> {
  const url = new URL(path, cloud.url);
  return new Promise((resolve, reject) => {
    const call = request({ host: url.hostname, port: url.port, path: url.pathname, method, headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    call.on('error', reject);
    call.end();
  });
}

describe('the cloud’s Host and Origin rules', () => {
  const port = () => new URL(cloud.url).port;
  it.each([
    ['GET', '/admin/carrier/sms/hanako@example.com'],
    ['POST', '/admin/smdp/orders'],
    ['POST', '/oauth/token'],
    ['GET', '/app/'],
  ])('refuses %s %s for a rebound name, and answers it for its own', async (method, path) => {
    expect(await send(path, method, { host: `evil.example:${port()}` })).toBe(403);
    // (a foreign Origin on the sites' forms is refused by the forms themselves, with their page)
    if (!path.startsWith('/app/')) expect(await send(path, method, { host: `127.0.0.1:${port()}`, origin: 'http://evil.example' })).toBe(403);
    expect(await send(path, method, { host: `localhost:${port()}` })).not.toBe(403);
    expect(await send(path, method, { host: `127.0.0.1:${port()}`, origin: `http://127.0.0.1:${port()}` })).not.toBe(403);
  });
});
