// Interoperability with an independent SM-DP+, osmocom's osmo-smdpp (part of pySim), and its GSMA
// TS.48 test profiles: `npm run interop:osmo-smdpp -- <pySim checkout> [--lpac <lpac binary>]
// [--python <interpreter>]`. Not part of CI (CI cannot fetch pySim). It never fetches or builds
// anything; the checkout must be able to run osmo-smdpp (its dependencies installed as pySim's
// README says) and hold the test PKI that pySim's contrib/generate_smdpp_certs.py writes to
// smdpp-data/generated. Run as root (osmo-smdpp's LPAs reach it on port 443, as SGP.22 addresses
// have no port) with `127.0.0.1 testsmdpplus1.example.com` in /etc/hosts.
//
// It starts osmo-smdpp on loopback without TLS, and terminates TLS in front of it on
// 127.0.0.1:443 with a certificate it issues for the run (the generator's TLS certificate has a
// fixed validity that has passed). The simulated eUICC takes the generated eUICC identity
// (--euicc-identity), the car trusts the run's TLS CA (--smdp-ca), and Hanako's line carries a
// TS.48 profile's activation code: the car's own LPA downloads it in STEP 2. With --lpac, lpac
// downloads another TS.48 profile through the simulated module's AT port, and switches profiles
// while the car keeps to its own. osmo-smdpp's log says what it verified.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { createServer as createTlsServer } from 'node:tls';
import { AutomationClient } from '../main/automation/client';
import { readProfilePackage } from '../shared/saip/profilePackage';
import { ecdsa, issue, toPem } from '../shared/rsp/pki';
import * as x509 from '../shared/rsp/x509';
import { esimRowSays, setUpHanakosEsim } from '../test/support/carFlows';

const run = promisify(execFile);
const { values, positionals } = parseArgs({ allowPositionals: true, options: { lpac: { type: 'string' }, python: { type: 'string', default: 'python3' } } });
const checkout = positionals[0] && resolve(positionals[0]);
if (!checkout || !existsSync(join(checkout, 'osmo-smdpp.py'))) {
  console.error('usage: npm run interop:osmo-smdpp -- <pySim checkout> [--lpac <lpac binary>] [--python <interpreter>]');
  process.exit(2);
}
const pki = join(checkout, 'smdpp-data', 'generated');
if (!existsSync(join(pki, 'eUICC'))) {
  console.error(`${pki}: no test PKI; run contrib/generate_smdpp_certs.py in the checkout first`);
  process.exit(2);
}
const host = 'testsmdpplus1.example.com';
if ((await lookup(host).catch(() => null))?.address !== '127.0.0.1') {
  console.error(`${host} must resolve to 127.0.0.1 (add "127.0.0.1 ${host}" to /etc/hosts): osmo-smdpp answers only to that name`);
  process.exit(2);
}
/** The TS.48 profiles of the run: the car's, and lpac's (another ICCID, so both fit on one eUICC). */
const upp = async (name: string) => ({ name, iccid: readProfilePackage(await readFile(join(checkout, 'smdpp-data', 'upp', `${name}.der`))).iccid! });
const carProfile = await upp('TS48V2-SAIP2-3-NOBERTLV-UNIQUE');
const lpacProfile = await upp('TS48V2-SAIP2-1-BERTLV-UNIQUE');
const code = (name: string) => `LPA:1$${host}$${name}`;

const dir = await mkdtemp(join(tmpdir(), 'idrive-osmo-smdpp-'));
const children: ChildProcess[] = [];
let failed = 0;
const report = (what: string, ok: boolean, detail = '') => {
  console.log(`${ok ? 'passes' : 'FAILS '}  ${what}${detail ? `: ${detail}` : ''}`);
  if (!ok) failed += 1;
};
try {
  // The eUICC's identity from the generated PKI (NIST P-256), as --euicc-identity takes it.
  const identity = join(dir, 'identity');
  await mkdir(identity);
  const pem = async (der: string) => new X509Certificate(await readFile(join(pki, der))).toString();
  await copyFile(join(pki, 'CertificateIssuer', 'CERT_CI_ECDSA_NIST.pem'), join(identity, 'ci.pem'));
  await writeFile(join(identity, 'eum.pem'), await pem('EUM/CERT_EUM_ECDSA_NIST.der'));
  await writeFile(join(identity, 'euicc.pem'), await pem('eUICC/CERT_EUICC_ECDSA_NIST.der'));
  await copyFile(join(pki, 'eUICC', 'SK_EUICC_ECDSA_NIST.pem'), join(identity, 'euicc.key.pem'));

  // A TLS CA and certificate of the run's own for the terminator in front of osmo-smdpp.
  const keys = await crypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=interop TLS CA (this run only)',
    keys,
    signingAlgorithm: ecdsa,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
  });
  const tls = await issue({ certificate: ca, der: new Uint8Array(ca.rawData), privateKey: keys.privateKey }, { role: 'dpTls', hosts: [host] });
  await writeFile(join(dir, 'tls-ca.pem'), ca.toString('pem'));

  // osmo-smdpp on loopback, plain HTTP; TLS on 127.0.0.1:443 in front of it.
  const port = await freePort();
  const smdpp = spawn(values.python!, ['osmo-smdpp.py', '-H', '127.0.0.1', '-p', String(port), '--nossl', '-c', 'generated', '-m'], {
    cwd: checkout,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(smdpp);
  let smdppLog = '';
  smdpp.stdout!.on('data', (d: Buffer) => (smdppLog += d.toString()));
  smdpp.stderr!.on('data', (d: Buffer) => (smdppLog += d.toString()));
  await until(
    () => /Site starting on/.test(smdppLog),
    () => `osmo-smdpp did not start:\n${smdppLog}`,
  );
  const terminator = createTlsServer(
    { key: toPem('PRIVATE KEY', new Uint8Array(await crypto.subtle.exportKey('pkcs8', tls.privateKey))), cert: tls.certificate.toString('pem') },
    (socket) => {
      const upstream = connect(port, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    },
  );
  await new Promise<void>((done, fail) => terminator.once('error', fail).listen(443, '127.0.0.1', done));

  // The car: Hanako's line carries the TS.48 profile; her Personal eSIM is set up as in STEP 2.
  const scenario = join(dir, 'scenario.json');
  await writeFile(
    scenario,
    JSON.stringify({
      version: 1,
      accounts: [
        {
          email: 'hanako@example.com',
          password: 'onenumber-demo',
          name: 'Hanako Suzuki',
          oneNumber: {
            msisdn: '+81 90-1234-5678',
            subscribed: true,
            multiDevice: true,
            associated: true,
            profile: { activationCode: code(carProfile.name), iccid: carProfile.iccid },
          },
        },
      ],
    }),
  );
  const pty = join(dir, 'modem');
  const unit = spawn(
    process.execPath,
    [
      'dist/main/start.js',
      '--web',
      '--no-open',
      '--port',
      '0',
      '--cloud-port',
      '0',
      '--data-dir',
      join(dir, 'data'),
      '--lang',
      'en',
      '--modem-pty',
      pty,
      '--euicc-identity',
      identity,
      '--smdp-ca',
      join(dir, 'tls-ca.pem'),
      '--scenario',
      scenario,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(unit);
  let said = '';
  unit.once('exit', (status) => status !== null && console.error(`the head unit stopped (${status}):\n${said}`));
  const url = await new Promise<string>((ready) =>
    unit.stdout!.on('data', (d: Buffer) => {
      said += d.toString();
      const match = /head unit ready at (\S+)/.exec(said);
      if (match && /^world "/m.test(said)) ready(match[1]!);
    }),
  );
  const car = await AutomationClient.connect(url);
  await setUpHanakosEsim(car);
  const connected = await esimRowSays(car, 'Connected');
  report(`the car's LPA downloads ${carProfile.name} (${carProfile.iccid}) from osmo-smdpp, installs and enables it`, connected.ok, connected.seen);

  if (values.lpac) {
    const binary = resolve(values.lpac);
    const build = dirname(dirname(binary));
    const env = {
      ...process.env,
      LPAC_APDU: 'at',
      LPAC_APDU_AT_DEVICE: pty,
      LD_LIBRARY_PATH: ['driver', 'euicc', 'utils'].map((d) => join(build, d)).join(':'),
    };
    // (asynchronously: a script that blocks for a download's seconds misses the automation API's heartbeat)
    const lpac = async (args: string[]) => {
      try {
        const { stdout: out } = await run(binary, args, { env, cwd: dirname(binary), timeout: 120_000 });
        const last = JSON.parse(out.trim().split('\n').at(-1)!) as { payload: { code: number; data: unknown } };
        return { ok: last.payload.code === 0, data: last.payload.data, out };
      } catch (error) {
        return { ok: false, data: null, out: String((error as { stdout?: Buffer }).stdout ?? error) };
      }
    };
    const step = async (args: string[], carSays?: string) => {
      const result = await lpac(args);
      const row = carSays ? await esimRowSays(car, carSays) : { ok: true, seen: '' };
      report(
        `lpac ${args.join(' ')}${carSays ? ` (the car says ${carSays})` : ''}`,
        result.ok && row.ok,
        result.ok ? row.seen : result.out.trim().split('\n').at(-1),
      );
      return result;
    };
    await step(['chip', 'info']);
    await step(['profile', 'download', '-a', code(lpacProfile.name)], 'Connected');
    const listed = await step(['profile', 'list']);
    const profiles = (listed.data ?? []) as { iccid: string; isdpAid: string; profileState: string }[];
    report(
      'both profiles listed, each with its ISD-P AID',
      [carProfile.iccid, lpacProfile.iccid].every((iccid) => profiles.some((p) => p.iccid === iccid && p.isdpAid !== '')),
      JSON.stringify(profiles.map((p) => [p.iccid, p.isdpAid, p.profileState])),
    );
    await step(['profile', 'enable', lpacProfile.iccid], 'No network');
    await step(['profile', 'enable', carProfile.iccid], 'Connected');
    const pending = (((await lpac(['notification', 'list'])).data ?? []) as { seqNumber: number; iccid?: string }[])
      .filter((n) => n.iccid === lpacProfile.iccid)
      .map((n) => String(n.seqNumber));
    await step(['notification', 'process', '-r', ...pending]);
    await step(['profile', 'delete', lpacProfile.iccid], 'Connected');
  }
  car.close();

  // What osmo-smdpp made of it: every ES9+ call answered 200/204, nothing it could not verify.
  const calls = [...smdppLog.matchAll(/"POST \/gsma\/rsp2\/es9plus\/(\w+) HTTP\/1\.1" (\d{3})/g)].map((m) => `${m[1]} ${m[2]}`);
  console.log(`osmo-smdpp answered: ${calls.join(', ')}`);
  report('osmo-smdpp answered every ES9+ call with success', calls.length > 0 && calls.every((c) => / 20[04]$/.test(c)));
  const complaints = smdppLog.split('\n').filter((l) => /Unhandled Error|Exception|Failure|verification failed/.test(l));
  report('osmo-smdpp verified every signature it checks (no exception in its log)', complaints.length === 0, complaints.join(' | '));
  const unmatched = smdppLog.split('\n').filter((l) => /Unable to find session/.test(l));
  if (unmatched.length > 0)
    console.log(
      `(osmo-smdpp could not match ${unmatched.length} install result(s) to its session: it stores transactionIds in upper case and looks them up in lower case, so it skips their signature check)`,
    );
} finally {
  // (each one gone before its files are: the head unit saves as it stops)
  await Promise.all(
    children
      .filter((child) => child.exitCode === null)
      .map((child) => {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        return exited;
      }),
  );
  await rm(dir, { recursive: true, force: true });
}
console.log(failed === 0 ? 'osmo-smdpp: every step passes' : `osmo-smdpp: ${failed} step(s) failed`);
process.exit(failed === 0 ? 0 : 1);

async function freePort(): Promise<number> {
  const server = createTcpServer().listen(0, '127.0.0.1');
  await new Promise((done) => server.once('listening', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** Waits (in 100 ms turns, at most 60 s) until `ready`; throws what `why` says otherwise. */
async function until(ready: () => boolean, why: () => string): Promise<void> {
  for (let i = 0; i < 600 && !ready(); i++) await new Promise((done) => setTimeout(done, 100));
  if (!ready()) throw new Error(why());
}
