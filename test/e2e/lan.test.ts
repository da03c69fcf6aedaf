import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBench, type Bench } from '../support/netns';

/**
 * `--lan` and `--automation-host` seen from another machine: the emulator runs in a network
 * namespace of its own, and a second namespace at the other end of a veth pair plays a laptop
 * on the bench's network. What answers is read from the listening sockets and by real requests.
 */
interface Probe {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  opened?: boolean;
  error?: string;
}

let bench: Bench;
const dirs: string[] = [];

beforeAll(async () => {
  bench = await createBench(7);
});
afterAll(async () => {
  await bench?.remove();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function start(args: string[]): Promise<{ child: ChildProcess; lines: string[]; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'idrive-lan-'));
  dirs.push(dir);
  const child = bench.spawn(bench.car, [process.execPath, 'dist/main/start.js', '--web', '--no-open', '--data-dir', dir, '--lang', 'en', ...args]);
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      // the start-up says what the cloud is, its SM-DP+ last
      if (/the SM-DP\+|the BMW ID cloud is/.test(line)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${lines.join('\n')}\n${stderr}`)));
  });
  return {
    child,
    lines,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const probe = async (namespace: string, requests: object[]): Promise<Probe[]> =>
  JSON.parse(await bench.exec(namespace, [process.execPath, 'test/support/probe.mjs', JSON.stringify(requests)])) as Probe[];

/** Listening TCP sockets in the car's namespace, as "address:port". */
async function listening(): Promise<string[]> {
  const out = await bench.exec(bench.car, ['ss', '-ltnH']);
  return out
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[3]!)
    .sort();
}

describe('--lan', () => {
  it('puts only the phone pages on the LAN; the display, automation and admin stay on loopback', async () => {
    const car = await start(['--lan', '--port', '4730', '--cloud-port', '4731']);
    try {
      const lan = bench.carAddress;
      // (the SM-DP+ has its own HTTPS port, on loopback: only the car's LPA and the bench's tools use it)
      const smdp = /the SM-DP\+ \(ES9\+ over HTTPS, test PKI\) at (\S+);/.exec(car.lines.join('\n'))![1]!;
      expect(smdp).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(await listening()).toEqual([`${lan}:4731`, '127.0.0.1:4730', '127.0.0.1:4731', smdp].sort());
      // the start-up says, one line each, what the network reaches and what it does not
      expect(car.lines).toContainEqual(`this machine only: display and automation API at http://127.0.0.1:4730/`);
      expect(car.lines).toContainEqual(`reachable from the network: the phone pages of the QR login at http://${lan}:4731/device`);
      expect(car.lines).toContainEqual(`reachable from the network: STEP 1 on the phone, the My BMW app at http://${lan}:4731/app`);
      expect(car.lines).toContainEqual(`this machine only: the BMW ID cloud's car and admin endpoints at http://127.0.0.1:4731/`);

      const fromPeer = await probe(bench.peer, [
        { url: `http://${lan}:4730/` },
        { url: `http://${lan}:4730/automation`, websocket: true },
        { url: `http://${lan}:4731/device?user_code=ABCD-EFGH` },
        { url: `http://${lan}:4731/device/style.css` },
        { url: `http://${lan}:4731/app` },
        { url: `http://${lan}:4731/.well-known/oauth-authorization-server` },
        { url: `http://${lan}:4731/entitlement?app=ap2006&operation=CheckEligibility` },
        {
          url: `http://${lan}:4731/oauth/token`,
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=password',
        },
        { url: `http://${lan}:4731/admin/carrier/lines/hanako%40example.com`, method: 'PUT', headers: { 'content-type': 'application/json' }, body: 'null' },
        {
          url: `http://${lan}:4731/admin/carrier/lines/hanako%40example.com`,
          method: 'PUT',
          headers: { 'content-type': 'application/json', host: '127.0.0.1:4731' },
          body: 'null',
        },
      ]);
      // (the last names loopback in Host on the LAN listener: refused for the name, before any route)
      expect(fromPeer.map((r) => r.status ?? r.error)).toEqual(['ECONNREFUSED', 'ECONNREFUSED', 200, 200, 200, 404, 404, 404, 404, 403]);

      const fromCar = await probe(bench.car, [
        { url: 'http://127.0.0.1:4730/' },
        { url: 'http://127.0.0.1:4731/.well-known/oauth-authorization-server' },
        {
          url: 'http://127.0.0.1:4731/oauth/device_authorization',
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'client_id=idrive-head-unit&vehicle_name=BMW',
        },
        { url: 'http://127.0.0.1:4731/admin/smdp/orders' },
      ]);
      expect(fromCar.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      // the issuer is where the car reaches it; the QR code points the phone at the LAN address
      expect(JSON.parse(fromCar[1]!.body!).issuer).toBe('http://127.0.0.1:4731/');
      expect(fromCar[2]!.body).toContain(`"verification_uri":"http://${lan}:4731/device"`);
    } finally {
      await car.stop();
    }
  });
});

describe('--automation-host', () => {
  it('lets other machines drive the car only with the token printed at start-up', async () => {
    const car = await start(['--automation-host', '0.0.0.0', '--port', '4730', '--cloud-port', '4731']);
    try {
      const lan = bench.carAddress;
      // a wildcard is never advertised
      const ready = car.lines.find((line) => line.startsWith('head unit ready at'))!;
      expect(ready).toMatch(new RegExp(`^head unit ready at http://${lan.replace(/\./g, '\\.')}:4730/ `));
      expect(car.lines.join('\n')).not.toContain('0.0.0.0');
      const token = /\?token=([\w-]+)/.exec(car.lines.join('\n'))![1]!;
      const base = `http://${lan}:4730/`;
      const results = await probe(bench.peer, [
        { url: base },
        { url: `${base}automation`, websocket: true },
        { url: `${base}bridge`, websocket: true },
        // claiming to be this machine changes nothing
        { url: base, headers: { host: '127.0.0.1:4730' } },
        { url: `${base}?token=${token}x` },
        { url: `${base}?token=${token}` },
        { url: `${base}automation`, websocket: true, headers: { authorization: `Bearer ${token}` } },
        { url: `${base}bridge`, websocket: true, headers: { cookie: `idrive_automation=${token}` } },
        // a page elsewhere cannot use the token it does not have, nor a browser's cookie cross-origin
        { url: `${base}automation`, websocket: true, headers: { authorization: `Bearer ${token}`, origin: 'http://attacker.test' } },
        // a program with the token comes through any name (compose port, a Service, a port-forward);
        // a browser through another name does not, even with the token
        { url: `${base}automation`, websocket: true, headers: { authorization: `Bearer ${token}`, host: 'head-unit-3.head-unit:4730' } },
        { url: base, headers: { authorization: `Bearer ${token}`, host: 'localhost:18080' } },
        { url: `${base}?token=${token}`, headers: { host: 'localhost:18080' } },
        { url: base, headers: { authorization: `Bearer ${token}x`, host: 'localhost:18080' } },
        // readiness: for anyone, saying nothing
        { url: `${base}ready`, headers: { host: 'head-unit:4730' } },
      ]);
      expect(results.map((r) => r.status ?? (r.opened ? 'open' : r.error))).toEqual([
        401,
        401,
        401,
        401,
        401,
        200,
        'open',
        'open',
        403,
        'open',
        200,
        403,
        403,
        204,
      ]);
      expect(results.at(-1)!.body).toBe('');
      expect(String(results[5]!.headers!['set-cookie'])).toContain('HttpOnly');
      // the cloud stays on loopback: the phone pages too, without --lan
      const cloud = await probe(bench.peer, [{ url: `http://${lan}:4731/device` }]);
      expect(cloud[0]!.error).toBe('ECONNREFUSED');
    } finally {
      await car.stop();
    }
  });
});
