import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { isdRAid } from '../../shared/es10/es10c';
import { esimRowSays, setUpHanakosEsim } from '../support/carFlows';
import { startHeadUnit, type RunningHeadUnit } from '../support/headUnit';

/**
 * `--euicc-pcsc`: the car's eUICC as a PC/SC card through Debian's pcscd and vsmartcard's vpcd (in
 * its reverse mode, so only the car listens, on loopback), reached by OpenSC's opensc-tool while the
 * car keeps using it. pcscd is the system's (its socket is /run/pcscd/pcscd.comm whatever the
 * environment says): the test runs its own with a reader.conf of its own, and needs none running.
 */
const run = promisify(execFile);
let unit: RunningHeadUnit | undefined;
let pcscd: ChildProcess | undefined;
let dir: string | undefined;
afterEach(async () => {
  if (pcscd && pcscd.exitCode === null) {
    const exited = new Promise((resolve) => pcscd!.once('exit', resolve));
    pcscd.kill('SIGTERM');
    await exited;
  }
  pcscd = undefined;
  await unit?.stop();
  unit = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function freePorts(): Promise<number> {
  // (vpcd uses the port and the next one)
  for (;;) {
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const next = createServer().listen(port + 1, '127.0.0.1');
    const free = await new Promise<boolean>((resolve) => next.once('listening', () => resolve(true)).once('error', () => resolve(false)));
    if (free) {
      await new Promise((resolve) => next.close(resolve));
      return port;
    }
  }
}

/** opensc-tool's answers to APDUs on reader 0, as hex lines of data and status words. */
async function apdus(...commands: string[]): Promise<{ data: string; sw: string }[]> {
  const { stdout } = await run('opensc-tool', ['-r', '0', ...commands.flatMap((c) => ['-s', c])], { timeout: 20_000 });
  return stdout
    .split(/Sending: /)
    .slice(1)
    .map((block) => {
      const sw = /SW1=0x([0-9a-f]{2}), SW2=0x([0-9a-f]{2})/i.exec(block)!;
      const data = [
        ...block
          .split('\n')
          .slice(2)
          .join('\n')
          .matchAll(/^((?:[0-9A-F]{2} )+)/gm),
      ]
        .map((m) => m[1]!.replace(/ /g, ''))
        .join('');
      return { data, sw: `${sw[1]}${sw[2]}`.toUpperCase() };
    });
}

describe('the car’s eUICC on PC/SC', () => {
  it('is a card in a vpcd reader: opensc-tool selects the ISD-R and reads the EID and the car’s profile while the car keeps to it', async () => {
    const running = existsSync('/run/pcscd/pcscd.pid') ? Number(readFileSync('/run/pcscd/pcscd.pid', 'utf8')) : 0;
    expect(running > 0 && existsSync(`/proc/${running}`), 'a pcscd already runs on this machine: stop it for this test').toBe(false);
    dir = await mkdtemp(join(tmpdir(), 'idrive-pcsc-'));
    const port = await freePorts();
    unit = await startHeadUnit(0, ['--euicc-pcsc', `127.0.0.1:${port}`]);
    expect(unit.output()).toContain(`the simulated eUICC as a PC/SC card for vsmartcard's vpcd at 127.0.0.1:${port}`);
    await setUpHanakosEsim(unit.car);
    await expect(esimRowSays(unit.car, 'Connected')).resolves.toMatchObject({ ok: true });

    await mkdir(join(dir, 'readers'));
    await writeFile(
      join(dir, 'readers', 'vpcd'),
      `FRIENDLYNAME "iDrive eUICC"\nDEVICENAME   127.0.0.1:${port}\nLIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID    ${port}\n`,
    );
    pcscd = spawn('pcscd', ['--foreground', '--config', join(dir, 'readers')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let said = '';
    pcscd.stdout!.on('data', (d: Buffer) => (said += d.toString()));
    pcscd.stderr!.on('data', (d: Buffer) => (said += d.toString()));
    await expect
      .poll(
        async () =>
          await run('opensc-tool', ['-l']).then(
            ({ stdout }) => stdout,
            () => said,
          ),
        { timeout: 15_000 },
      )
      .toContain('iDrive eUICC 00 00');

    const getProfilesInfo = 'BF2D00';
    const [select, eid, profiles] = await apdus(
      `00A4040010${isdRAid}`,
      '80E2910003BF3E00',
      `80E29100${(getProfilesInfo.length / 2).toString(16).padStart(2, '0')}${getProfilesInfo}`,
    );
    expect(select).toMatchObject({ sw: '9000', data: expect.stringMatching(new RegExp(`^6F..8410${isdRAid}`)) });
    expect(eid).toMatchObject({ sw: '9000', data: 'BF3E125A1089049032123451234512345678901235' });
    // The car's profile, enabled (9F70 01), with its ISD-P (4F).
    expect(profiles!.sw).toBe('9000');
    expect(profiles!.data).toMatch(/^BF2D.*E3.*5A0A98.*4F10A0000005591010FFFFFFFF89.*9F700101/);
    // The basic channel as card tools expect it: the MF.
    const [mf] = await apdus('00A40004023F00');
    expect(mf).toMatchObject({ sw: '9000', data: expect.stringMatching(/^62..8202782183023F00/) });
    // The car is not disturbed.
    await expect(esimRowSays(unit.car, 'Connected')).resolves.toMatchObject({ ok: true });
  });

  it('refuses to offer the car’s eUICC beyond loopback', async () => {
    await expect(startHeadUnit(0, ['--euicc-pcsc', '0.0.0.0:35963'])).rejects.toThrow(/loopback/);
  });
});
