import { constants, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadStream, WriteStream } from 'node:tty';
import { afterEach, describe, expect, it } from 'vitest';
import { AtChannel } from '../../hardware/modem/at/channel';
import { decodeEid, encodeRequest, hex, isdRAid, toHex } from '../../shared/es10/es10c';
import { esimRowSays, setUpHanakosEsim } from '../support/carFlows';
import { startHeadUnit, type RunningHeadUnit } from '../support/headUnit';

/** `--modem-pty`: the running car's simulated module answers on a pseudo-terminal as a real module's port does. */
let headUnit: RunningHeadUnit | undefined;
let dir: string | undefined;
afterEach(async () => {
  await headUnit?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
  headUnit = undefined;
});

describe('the simulated module on a pseudo-terminal', () => {
  it('answers 27.007 on the path given, while the car uses the module, and says where it is', async () => {
    dir = await mkdtemp(join(tmpdir(), 'idrive-modem-'));
    const path = join(dir, 'modem');
    headUnit = await startHeadUnit(0, ['--modem-pty', path]);
    expect(headUnit.output()).toContain(`this machine only: the simulated module's AT port at ${path}`);
    expect(headUnit.output()).not.toContain('relaying through socat'); // (the build's node-pty holds the pseudo-terminal)
    const fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY);
    const input = new ReadStream(fd);
    const output = new WriteStream(fd);
    input.setRawMode(true);
    const raw: string[] = [];
    const channel = new AtChannel((data) => output.write(data));
    input.on('data', (data: Buffer) => {
      raw.push(data.toString());
      channel.receive(data);
    });
    try {
      await expect(channel.command('AT+CGMM')).resolves.toEqual(['Simulated LTE module']);
      expect(raw.join('')).toContain('AT+CGMM\r'); // a module echoes until ATE0
      await channel.command('ATE0');
      await expect(channel.command('AT+CFUN?')).resolves.toEqual(['+CFUN: 1']);
      // No BMW ID with a Personal eSIM on the car yet: no profile, no network.
      await expect(channel.command('AT+CEREG?')).resolves.toEqual(['+CEREG: 0,0']);
      await expect(channel.command('AT+BOGUS')).rejects.toMatchObject({ result: 'ERROR' });
      await channel.command('AT+CMEE=1');
      await expect(channel.command('AT+CGACT=1,1')).rejects.toMatchObject({ result: '+CME ERROR: 3', cmeError: 3 });
      // The eUICC on a logical channel, as lpac reaches it: the EID by ES10c GetEuiccData in STORE DATA.
      const [opened] = await channel.command(`AT+CCHO="${isdRAid}"`);
      const id = Number(/^\+CCHO: (\d+)$/.exec(opened!)![1]);
      const command = encodeRequest({ kind: 'getEid' });
      const apdu = toHex(new Uint8Array([0x80 | id, 0xe2, 0x91, 0x00, command.length, ...command]));
      const [answer] = await channel.command(`AT+CGLA=${id},${apdu.length},"${apdu}"`);
      const data = /^\+CGLA: \d+,"([0-9A-F]+)9000"$/.exec(answer!)![1]!;
      expect(decodeEid(hex(data))).toMatch(/^\d{32}$/);
      await channel.command(`AT+CCHC=${id}`);
      await expect(channel.command('AT+CCHO="A000000087"')).rejects.toMatchObject({ cmeError: 22 }); // no such application
    } finally {
      input.destroy();
      output.destroy();
    }
  });
});

describe("--modem at: on the simulated module's pseudo-terminal", () => {
  let second: RunningHeadUnit | undefined;
  afterEach(async () => {
    await second?.stop();
    second = undefined;
  });

  it('drives the module as a real one, over AT with serialport: the Personal eSIM sets up and ends Connected', async () => {
    dir = await mkdtemp(join(tmpdir(), 'idrive-modem-'));
    const path = join(dir, 'modem');
    // One bench plays the module (its own car stays idle); the car under test drives it over AT.
    headUnit = await startHeadUnit(0, ['--modem-pty', path]);
    second = await startHeadUnit(0, ['--modem', `at:${path},apdu-timeout=30`]);
    const car = second.car;
    await setUpHanakosEsim(car);
    expect(await esimRowSays(car, 'Connected', 100)).toEqual({ ok: true, seen: 'Connected' });
    // Its page shows the line the module registered: Hanako's One Number.
    await car.touch('esim');
    await car.waitForScreen('esim', 10_000);
    expect((await car.screen()).items.find((item) => item.id === 'number')?.label).toContain('+81 90-1234-5678');
  }, 120_000);

  it('stops with what to check when the port is not a module', async () => {
    await expect(startHeadUnit(0, ['--modem', 'at:/dev/null-modem-missing'])).rejects.toThrow(
      /--modem at:\/dev\/null-modem-missing: .*docs\/hardware.md, "A real cellular module"/,
    );
  });
});
