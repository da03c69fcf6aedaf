import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScreenSnapshot } from '../../shared/contract';
import { untilShown } from '../support/carFlows';
import { startHeadUnit, type RunningHeadUnit } from '../support/headUnit';
import { addByEmail } from '../support/driver';

/** Pulling the plug on the head unit in the middle of a step: it comes back clean. */
let dir: string;
let headUnit: RunningHeadUnit | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idrive-restart-'));
});
afterAll(async () => {
  await headUnit?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function killHard(unit: RunningHeadUnit) {
  unit.car.close();
  const exited = new Promise((resolve) => unit.process.once('exit', resolve));
  unit.process.kill('SIGKILL');
  await exited;
}

describe('a restart in the middle of the BMW ID login', () => {
  it('restarts the login cleanly: no half-added profile, nothing secret left behind', async () => {
    headUnit = await startHeadUnit(0, [], dir);
    const { car } = headUnit;
    for (const id of ['bmwId', 'add', 'email']) await car.touch(id);
    await car.type('taro@example.com');
    await car.touch('key.ok');
    await car.type('bmw-id-demo');
    await car.touch('key.ok');
    await car.waitForScreen('login.settings', 10_000);
    for (const id of ['continue', 'pinNow']) await car.touch(id);
    await car.type('12');
    expect(await car.screen()).toMatchObject({ screen: 'entry.pin', field: '••' });
    await killHard(headUnit);

    headUnit = await startHeadUnit(0, [], dir);
    expect(await headUnit.car.screen()).toMatchObject({ screen: 'menu', popup: null });
    await headUnit.car.touch('bmwId');
    expect((await headUnit.car.screen()).items.map((i) => i.label)).toEqual(['Guest', 'Add BMW ID']);
    // The login had not finished: no tokens, no PIN, no profile were written.
    expect((await readdir(dir)).filter((f) => /^(tokens|pins|profiles)\.json$/.test(f))).toEqual([]);

    // And the same login, done again, works.
    for (const id of ['add', 'email']) await headUnit.car.touch(id);
    await headUnit.car.type('taro@example.com');
    await headUnit.car.touch('key.ok');
    await headUnit.car.type('bmw-id-demo');
    await headUnit.car.touch('key.ok');
    await headUnit.car.waitForScreen('login.settings', 10_000);
    for (const id of ['continue', 'pinLater']) await headUnit.car.touch(id);
    await headUnit.car.waitForScreen('menu', 10_000);
    expect((await headUnit.car.screen()).title).toBe('Menu');
  });
});

describe('a power cut in the middle of the Personal eSIM download', () => {
  it('leaves no half profile, and the car finishes the set-up after the restart', async () => {
    await headUnit?.stop().catch(() => undefined);
    const data = await mkdtemp(join(tmpdir(), 'idrive-restart-esim-'));
    headUnit = await startHeadUnit(0, [], data);
    const { car } = headUnit;
    await addByEmail(car, 'hanako@example.com', 'onenumber-demo');
    await car.touch('mobileDevices');
    await car.touch('esim');
    // the install takes about a second at the realistic pace: cut the power in the middle of it
    await untilShown(
      car,
      (screen) => {
        const stage = screen.items.find((i) => i.id === 'stage')?.label ?? '';
        return /Installing the eSIM profile \((\d+) %\)/.test(stage) && !stage.includes('(0 %)');
      },
      10_000,
    );
    await killHard(headUnit);
    const flash = JSON.parse(await readFile(join(data, 'sim-modem.json'), 'utf8').catch(() => '{"data":{"profiles":[]}}'));
    expect(flash.data.profiles).toEqual([]); // nothing half-installed survived

    headUnit = await startHeadUnit(0, [], data);
    await headUnit.car.touch('mobileDevices');
    await untilShown(headUnit.car, (screen) => screen.items.find((i) => i.id === 'esim')?.detail === 'Connected', 20_000);
    await rm(data, { recursive: true, force: true });
  }, 60_000);
});

describe('a restart with a paired phone', () => {
  const iphone = '5C:F9:38:A1:B2:C3';
  /** Waits until the screen's row reads so, label or detail (the automation API reads what is shown). */
  async function rowDetail(unit: RunningHeadUnit, id: string, expected: RegExp): Promise<void> {
    const shown = (screen: ScreenSnapshot) => {
      const item = screen.items.find((i) => i.id === id);
      return item ? `${item.label} ${item.detail ?? ''}`.trim() : '';
    };
    await untilShown(
      unit.car,
      (screen) => expected.test(shown(screen)),
      20_000,
      (screen) => `"${shown(screen)}" in "${id}"`,
    );
  }

  it('is the same world: the phone still knows the car, connects, and syncs; a phone that forgot the car is shown as such', async () => {
    await headUnit?.stop().catch(() => undefined);
    const data = await mkdtemp(join(tmpdir(), 'idrive-restart-phone-'));
    headUnit = await startHeadUnit(0, [], data);
    await addByEmail(headUnit.car, 'taro@example.com', 'bmw-id-demo');
    for (const id of ['mobileDevices', 'connectNew']) await headUnit.car.touch(id);
    await untilShown(headUnit.car, (screen) => screen.items.some((i) => i.id === `found.${iphone}`), 10_000);
    await headUnit.car.touch(`found.${iphone}`);
    await untilShown(headUnit.car, (screen) => screen.popup?.id === 'bt.pairing', 10_000);
    await headUnit.car.touch('confirm'); // the phone confirms by itself after 1.5 s
    await headUnit.car.waitForScreen('mobileDevices', 20_000);
    await rowDetail(headUnit, `device.${iphone}`, /Telephone/);
    await headUnit.stop();

    headUnit = await startHeadUnit(0, [], data);
    const { car } = headUnit;
    // The phone remembers the car, as a real one does; the car connects it again by itself.
    expect((await car.phones({ action: 'phone', address: iphone })).phone).toMatchObject({ paired: true });
    // (the status bar names the phone once it is connected)
    await untilShown(car, (screen) => screen.status.phone !== null, 20_000);
    expect((await car.phones({ action: 'phone', address: iphone })).phone).toMatchObject({ connected: true });
    await car.touch('mobileDevices');
    await car.touch(`device.${iphone}`);
    await car.touch('sync');
    await rowDetail(headUnit, 'contacts', /^9 contacts$/);

    // The owner removes the car on the phone: the car says so, and what to do.
    await car.phones({ action: 'forget', address: iphone });
    expect((await car.phones({ action: 'phone', address: iphone })).phone).toMatchObject({ paired: false, connected: false });
    await car.touch('sync');
    await rowDetail(headUnit, 'contacts', /no longer has its pairing with this car.*Remove the device here/);
    await car.button('BACK');
    await rowDetail(headUnit, `device.${iphone}`, /Not paired on the phone/);
    await headUnit.stop();
    headUnit = undefined;
    await rm(data, { recursive: true, force: true });
  }, 60_000);
});
