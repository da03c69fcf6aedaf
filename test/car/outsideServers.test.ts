import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../main/core';
import { defaultScenario } from '../../shared/scenario';
import { untilView } from '../support/carWithCloud';
import { useTempDirs } from '../support/tempDir';
import { simulatedParts } from '../../main/world';

/**
 * Another team's BMW ID server (`--cloud-url`), answering as RFC 8628 and RFC 6749 allow: without
 * the optional `verification_uri_complete` and `refresh_token`, with a refresh that does not rotate,
 * and with a pending device login answered 200 and an error in the body (field case c10).
 */
const tempDir = useTempDirs();
const fieldCase = async (name: string) => JSON.parse(await readFile(join('test/fixtures/field-cases', name), 'utf8')) as Record<string, unknown>;

interface OtherServer {
  url: string;
  /** the grant types of the token requests, in order */
  grants: string[];
  /** resolves at the first question about the Personal eSIM (made with the access token) */
  entitlementAsked: Promise<void>;
  close(): Promise<void>;
}

async function otherServer(): Promise<OtherServer> {
  const deviceAuthorization = { ...(await fieldCase('c10-device-authorization-response.json')), interval: 1 };
  const withoutRefresh = await fieldCase('c10-token-response-no-refresh-token.json');
  const grants: string[] = [];
  let polls = 0;
  let asked!: () => void;
  const entitlementAsked = new Promise<void>((resolve) => (asked = resolve));
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const form = new URLSearchParams(body);
      const json = (status: number, value: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(value));
      };
      const url = new URL(request.url ?? '/', base);
      switch (url.pathname) {
        case '/.well-known/oauth-authorization-server':
          return json(200, {
            device_authorization_endpoint: `${base}/device`,
            token_endpoint: `${base}/token`,
            userinfo_endpoint: `${base}/me`,
            revocation_endpoint: `${base}/revoke`,
          });
        case '/device':
          return json(200, deviceAuthorization);
        case '/token': {
          const grant = form.get('grant_type') ?? '';
          grants.push(grant);
          if (grant.endsWith('device_code')) return (polls += 1) < 3 ? json(200, { error: 'authorization_pending' }) : json(200, withoutRefresh);
          if (grant === 'password') return json(200, { access_token: 'at-1', refresh_token: 'rt-1', token_type: 'Bearer', expires_in: 1 });
          if (grant === 'refresh_token')
            return form.get('refresh_token') === 'rt-1'
              ? json(200, { access_token: 'at-2', token_type: 'Bearer', expires_in: 3600 })
              : json(400, { error: 'invalid_grant' });
          return json(400, { error: 'unsupported_grant_type' });
        }
        case '/me':
          return json(200, { sub: 'other-1', email: 'driver@example.org', name: 'Other Driver' });
        case '/entitlement': {
          // another carrier's TS.43 server: a line, but One Number not subscribed (the websheet)
          if (url.searchParams.get('operation') === 'CheckEligibility')
            return json(200, { Vers: { version: '1', validity: '3600' }, ap2006: { OperationResult: '1', CompanionAppEligibility: '1' } });
          asked();
          return json(200, {
            Vers: { version: '1', validity: '3600' },
            ap2006: {
              OperationResult: '1',
              SubscriptionResult: '1',
              SubscriptionServiceURL: `${base}/websheet`,
              SubscriptionServiceUserData: 'reason=notSubscribed',
            },
          });
        }
        default:
          return json(200, {});
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    grants,
    entitlementAsked,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function carOn(server: OtherServer): Promise<{ core: Core; dir: string }> {
  const dir = await tempDir();
  const core = new Core({
    dataDir: dir,
    language: 'en',
    scenario: defaultScenario,
    cloudUrl: () => server.url,
    timeScale: 0,
    parts: simulatedParts(defaultScenario, { timeScale: 0 }),
  });
  await core.ready;
  cleanup.push(() => core.stop());
  return { core, dir };
}

function qrText(dataUrl: string): string | undefined {
  const png = PNG.sync.read(Buffer.from(dataUrl.split(',')[1]!, 'base64'));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

describe('a BMW ID server that leaves out what the RFCs make optional', () => {
  it('logs in by QR code from verification_uri and the code shown, waits through a pending answered 200, and takes tokens without a refresh token', async () => {
    const server = await otherServer();
    cleanup.push(() => server.close());
    const { core, dir } = await carOn(server);
    core.input({ kind: 'button', button: 'MENU' });
    for (const id of ['bmwId', 'add', 'qr']) core.input({ kind: 'touch', itemId: id });
    await untilView(core, 'the QR code', () => core.view().screen.kind === 'qr');
    const screen = core.view().screen as { qr: string };
    expect(qrText(screen.qr)).toBe('http://127.0.0.1:5231/device');
    expect(JSON.stringify(core.view().screen)).toContain('KQRT-BZMP');
    await core.waitForScreen('login.settings', 10_000);
    expect(server.grants.filter((g) => g.endsWith('device_code'))).toHaveLength(3);
    core.input({ kind: 'touch', itemId: 'keep' });
    core.input({ kind: 'touch', itemId: 'continue' });
    core.input({ kind: 'touch', itemId: 'pinLater' });
    await core.waitForScreen('menu', 5000);
    await core.stop();
    const tokens = JSON.parse(await readFile(join(dir, 'tokens.json'), 'utf8')) as { data: Record<string, { refreshToken: string | null }> };
    expect(tokens.data['other-1']).toMatchObject({ accessToken: 'at-1', refreshToken: null });
  }, 20_000);

  it('keeps the refresh token it has when a refresh does not rotate it', async () => {
    const server = await otherServer();
    cleanup.push(() => server.close());
    const { core, dir } = await carOn(server);
    core.input({ kind: 'button', button: 'MENU' });
    for (const id of ['bmwId', 'add', 'email']) core.input({ kind: 'touch', itemId: id });
    core.input({ kind: 'type', text: 'driver@example.org' });
    core.input({ kind: 'key', key: 'Enter' });
    core.input({ kind: 'type', text: 'a-password' });
    core.input({ kind: 'key', key: 'Enter' });
    await core.waitForScreen('login.settings', 10_000);
    core.input({ kind: 'touch', itemId: 'keep' });
    core.input({ kind: 'touch', itemId: 'continue' });
    core.input({ kind: 'touch', itemId: 'pinLater' });
    await core.waitForScreen('menu', 5000);
    // The access token lives a second: the Personal eSIM's first question to the carrier renews it.
    // (the question comes after the renewed tokens are stored)
    await server.entitlementAsked;
    expect(server.grants).toEqual(['password', 'refresh_token']);
    await core.stop();
    const tokens = JSON.parse(await readFile(join(dir, 'tokens.json'), 'utf8')) as {
      data: Record<string, { accessToken: string; refreshToken: string | null }>;
    };
    expect(tokens.data['other-1']).toMatchObject({ accessToken: 'at-2', refreshToken: 'rt-1' });
  }, 20_000);
});
