// Interoperability with lpac, the open-source LPA (estkme-group/lpac), through the simulated
// module's AT port on a pseudo-terminal: `npm run interop:lpac -- /path/to/lpac`.
// It needs an lpac binary with its AT APDU driver, built as lpac's own instructions describe; it
// never fetches or builds lpac. Not part of CI (CI cannot fetch lpac). It starts the built head
// unit with --modem-pty, lets the car set up Hanako's Personal eSIM, then runs lpac's commands
// against the same module (its own download from the admin endpoint included) and says which
// pass, and what the car shows meanwhile.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { AutomationClient } from '../main/automation/client';
import { esimRowSays, setUpHanakosEsim } from '../test/support/carFlows';

const lpac = process.argv[2];
if (!lpac) {
  console.error('usage: npm run interop:lpac -- <path to the lpac binary> (its drivers beside it, as its build leaves them)');
  process.exit(2);
}
const binary = resolve(lpac);
const build = dirname(dirname(binary)); // build/src/lpac → build/
const dir = await mkdtemp(join(tmpdir(), 'idrive-lpac-'));
const pty = join(dir, 'modem');
const child = spawn(
  process.execPath,
  ['dist/main/start.js', '--web', '--no-open', '--port', '0', '--cloud-port', '0', '--data-dir', join(dir, 'data'), '--lang', 'en', '--modem-pty', pty],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let said = '';
const [url, cloud] = await new Promise<[string, string]>((ready) =>
  child.stdout!.on('data', (d: Buffer) => {
    said += d.toString();
    const unit = /head unit ready at (\S+)/.exec(said);
    const world = /the BMW ID cloud at (\S+)/.exec(said);
    if (unit && world) ready([unit[1]!, world[1]!]);
  }),
);
const car = await AutomationClient.connect(url);
// The car's own STEP 2 ③: Hanako's Personal eSIM lands on the module.
await setUpHanakosEsim(car);

const env = {
  ...process.env,
  LPAC_APDU: 'at',
  LPAC_APDU_AT_DEVICE: pty,
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
const order = (await (await fetch(new URL('admin/smdp/orders', cloud), { method: 'POST' })).json()) as { activationCode: string; iccid: string };
const lastLine = (args: string[]) => JSON.parse(lpacRun(args).out.trim().split('\n').at(-1)!) as { payload: { data: unknown } };
const own = (lastLine(['profile', 'list']).payload.data as { iccid: string }[])[0]?.iccid ?? '';
/** The eSIM row of the car's Mobile devices page, once it says `detail` (what the driver sees). */
async function carSays(detail: string): Promise<boolean> {
  const { ok, seen } = await esimRowSays(car, detail);
  if (!ok) console.log(`(the car shows ${seen})`);
  return ok;
}
const steps: { args: string[] | (() => string[]); car?: string }[] = [
  { args: ['chip', 'info'] },
  { args: ['chip', 'defaultsmdp', 'smdp.example:443'] },
  { args: ['profile', 'list'], car: 'Connected' },
  { args: ['profile', 'download', '-a', order.activationCode] },
  { args: ['profile', 'list'], car: 'Connected' },
  { args: ['profile', 'nickname', order.iccid, 'Bench line'] },
  { args: ['profile', 'enable', order.iccid], car: 'No network' },
  { args: ['profile', 'disable', order.iccid] },
  { args: ['profile', 'enable', own], car: 'Connected' },
  { args: ['profile', 'delete', order.iccid], car: 'Connected' },
  { args: ['notification', 'list'] },
  // lpac delivers the notifications of its own profile; the car delivers those of the car's (by
  // itself, whenever its line comes back): each LPA its own, or they would race to remove them.
  { args: () => ['notification', 'process', '-r', ...pendingOf(order.iccid)] },
  { args: ['notification', 'list'] },
  { args: ['profile', 'list'], car: 'Connected' },
];
/** The pending notifications of one profile, as lpac lists them. */
function pendingOf(iccid: string): string[] {
  return (lastLine(['notification', 'list']).payload.data as { seqNumber: number; iccid: string }[])
    .filter((n) => n.iccid === iccid)
    .map((n) => String(n.seqNumber));
}
let failed = 0;
for (const step of steps) {
  const args = typeof step.args === 'function' ? step.args() : step.args;
  const { ok, out } = lpacRun(args);
  const carOk = step.car === undefined || (await carSays(step.car));
  console.log(`$ lpac ${args.join(' ')}   [${ok ? 'passes' : 'FAILS'}${step.car ? `; the car says ${step.car}: ${carOk ? 'yes' : 'NO'}` : ''}]`);
  console.log(
    out
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('WARNING'))
      .join('\n'),
  );
  if (!ok || !carOk) failed += 1;
}
car.close();
const exited = new Promise((done) => child.once('exit', done));
child.kill('SIGTERM');
await exited;
await rm(dir, { recursive: true, force: true });
console.log(failed === 0 ? 'lpac: every command passes, and the car keeps to its own profile' : `lpac: ${failed} step(s) failed`);
process.exit(failed === 0 ? 0 : 1);
