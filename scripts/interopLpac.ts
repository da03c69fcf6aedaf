// Interoperability with lpac, the open-source LPA (estkme-group/lpac), through the simulated
// module's AT port on a pseudo-terminal: `npm run interop:lpac -- /path/to/lpac`.
// Build lpac first (Debian: cmake libcurl4-openssl-dev libcjson-dev pkg-config), configured with
// -DUSE_SYSTEM_DEPS=ON -DLPAC_WITH_APDU_PCSC=OFF -DLPAC_WITH_APDU_AT=ON. Not part of CI (CI cannot
// fetch lpac). It starts the built head unit with --modem-pty, lets the car set up Hanako's
// Personal eSIM, then runs lpac's commands against the same module and says which pass.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { AutomationClient } from '../main/automation/client';

const lpac = process.argv[2];
if (!lpac) {
  console.error('usage: npm run interop:lpac -- <path to the lpac binary> (its drivers beside it, as its build leaves them)');
  process.exit(2);
}
const binary = resolve(lpac);
const build = dirname(dirname(binary)); // build/src/lpac → build/
const dir = await mkdtemp(join(tmpdir(), 'idrive-lpac-'));
const pty = join(dir, 'modem');
const child = spawn(process.execPath, ['dist/main/start.js', '--web', '--no-open', '--port', '0', '--cloud-port', '0', '--data-dir', join(dir, 'data'), '--lang', 'en', '--modem-pty', pty], { stdio: ['ignore', 'pipe', 'inherit'] });
let said = '';
const [url, cloud] = await new Promise<[string, string]>((ready) => child.stdout!.on('data', (d: Buffer) => {
  said += d.toString();
  const unit = /head unit ready at (\S+)/.exec(said);
  const world = /the BMW ID cloud at (\S+)/.exec(said);
  if (unit && world) ready([unit[1]!, world[1]!]);
}));
const car = await AutomationClient.connect(url);
// The car's own STEP 2 ③: Hanako's Personal eSIM lands on the module.
for (const id of ['bmwId', 'add', 'email']) await car.touch(id);
await car.type('hanako@example.com');
await car.touch('key.ok');
await car.type('onenumber-demo');
await car.touch('key.ok');
await car.waitForScreen('login.settings', 10_000);
for (const id of ['keep', 'continue', 'pinLater']) await car.touch(id);
await car.waitForEvent('popup', 60_000);

const env = {
  ...process.env, LPAC_APDU: 'at', LPAC_APDU_AT_DEVICE: pty,
  LD_LIBRARY_PATH: ['driver', 'euicc', 'utils'].map((d) => join(build, d)).join(':'),
};
const lpacRun = (args: string[]): { ok: boolean; out: string } => {
  try {
    const out = execFileSync(binary, args, { env, cwd: dirname(binary), timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    const last = JSON.parse(out.trim().split('\n').at(-1)!) as { payload: { code: number } };
    return { ok: last.payload.code === 0, out };
  } catch (error) {
    return { ok: false, out: String((error as { stdout?: Buffer }).stdout ?? error) };
  }
};
// An order any LPA may download (the admin endpoint), for lpac's own download.
const order = (await (await fetch(new URL('admin/smdp/orders', cloud), { method: 'POST' })).json()) as { activationCode: string };
const iccid = (JSON.parse(lpacRun(['profile', 'list']).out.trim().split('\n').at(-1)!) as { payload: { data: { iccid: string }[] } }).payload.data[0]?.iccid ?? '';
// (the car delivered its own install notification already; the changes below leave new ones)
const steps: [string[] | (() => string[]), 'expected' | 'not yet'][] = [
  [['chip', 'info'], 'expected'],
  [['chip', 'defaultsmdp', 'smdp.example:443'], 'expected'],
  [['chip', 'info'], 'expected'],
  [['profile', 'list'], 'expected'],
  [['profile', 'nickname', iccid, 'Bench line'], 'expected'],
  [['profile', 'disable', iccid], 'expected'],
  [['profile', 'enable', iccid], 'expected'],
  [['notification', 'list'], 'expected'],
  [() => ['notification', 'process', pendingSeq()], 'not yet'],
  [() => ['notification', 'remove', pendingSeq()], 'expected'],
  [['profile', 'download', '-a', order.activationCode], 'not yet'],
  [['profile', 'disable', iccid], 'expected'],
  [['profile', 'delete', iccid], 'expected'],
  [['profile', 'list'], 'expected'],
];
/** The first pending notification's number, as lpac lists them. */
const pendingSeq = () => String((JSON.parse(lpacRun(['notification', 'list']).out.trim().split('\n').at(-1)!) as { payload: { data: { seqNumber: number }[] } }).payload.data[0]?.seqNumber ?? 0);
let failed = 0;
for (const [step, expectation] of steps) {
  const args = typeof step === 'function' ? step() : step;
  const { ok, out } = lpacRun(args);
  console.log(`$ lpac ${args.join(' ')}   [${ok ? 'passes' : 'fails'}; ${expectation === 'expected' ? 'must pass' : 'not supported yet'}]`);
  console.log(out.trim().split('\n').filter((l) => !l.startsWith('WARNING')).join('\n'));
  if (!ok && expectation === 'expected') failed += 1;
}
car.close();
const exited = new Promise((done) => child.once('exit', done));
child.kill('SIGTERM');
await exited;
await rm(dir, { recursive: true, force: true });
console.log(failed === 0 ? 'lpac: every supported command passes' : `lpac: ${failed} supported command(s) failed`);
process.exit(failed === 0 ? 0 : 1);
