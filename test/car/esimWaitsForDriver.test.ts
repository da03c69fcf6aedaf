import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core';
import { defaultScenario, Scenario } from '../../shared/scenario';
import { carWithCloud, untilView, type CarWithCloud } from '../support/carWithCloud';
import { useTempDirs } from '../support/tempDir';
import { addByEmail } from '../support/driver';

/**
 * The guide's order for a new Personal eSIM (STEP 2 steps 10–12): after the login the driver opens
 * Mobile devices, sees "Setting up personal eSIM…", then the telephony pop-up. The car holds a new
 * profile's download for the driver (a minute at most, scaled by the car's time scale), so a person
 * following the guide sees step 11 instead of a pop-up landing over the menu.
 */
const tempDir = useTempDirs();
let car: CarWithCloud;
afterEach(async () => car?.stop());

// (the module works at once: what is timed here is the car's wait for the driver alone)
const instantModem = Scenario.parse({ ...defaultScenario, pace: 0 });
const esimState = (core: Core) => core.machines().find((m) => m.name === 'esim')?.active ?? [];
const touch = (core: Core, itemId: string) => core.input({ kind: 'touch', itemId });
/** Until the eSIM machine is in this state (each change is a timeline event; the screen may not change). */
function untilEsim(core: Core, state: string): Promise<void> {
  if (esimState(core).includes(state)) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = core.timeline.on(() => {
      if (!esimState(core).includes(state)) return;
      stop();
      resolve();
    });
  });
}

describe('a new Personal eSIM and the driver', () => {
  it('waits for the driver to open Mobile devices, then sets up there and offers telephony', async () => {
    car = await carWithCloud(await tempDir(), instantModem, undefined, { timeScale: 1 });
    const core = car.core;
    await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
    await untilEsim(core, 'waitingForDriver');
    // Elsewhere in the menus, nothing moves on.
    for (const id of ['settings', 'settings.theme']) touch(core, id);
    core.input({ kind: 'button', button: 'MENU' });
    expect(core.snapshot().popup).toBeNull();
    expect(esimState(core)).toContain('waitingForDriver');
    touch(core, 'mobileDevices');
    expect(core.snapshot().items.find((i) => i.id === 'esim')?.detail).toBe('Setting up personal eSIM…');
    await untilView(core, () => core.snapshot().popup?.id === 'esim.telephony');
    expect(core.snapshot().screen).toBe('mobileDevices');
  });

  it('sets up by itself when the driver does not come (the wait, scaled, is over)', async () => {
    car = await carWithCloud(await tempDir(), instantModem, undefined, { timeScale: 0.001 });
    const core = car.core;
    await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
    await untilView(core, () => core.snapshot().popup?.id === 'esim.telephony');
    expect(core.snapshot().screen).toBe('menu');
  });
});
