import type { Core } from '../core';
import type { ScreenSnapshot } from '../../shared/contract';
import type { Scenario } from '../../shared/scenario';
import type { PresetId } from '../../shared/presets';

/**
 * Presets: the car and its world put at a step of the start-up guide's STEP 2, from the car and
 * the world both as new (the scenario loaded again), by the same inputs a driver makes, so that
 * what follows is the guide's own flow. Hanako (the demo world's BMW ID with STEP 1 done) and her
 * iPhone are the ones used. The ids and their guide steps are in shared/presets.ts.
 */

/** A preset that cannot be applied in this world, with why. */
export class PresetError extends Error {}

const account = { email: 'hanako@example.com', password: 'onenumber-demo' };
const phoneName = "Hanako's iPhone";

/**
 * Puts the car at `preset`: the world and the car reset to the scenario, then driven there.
 * Resolves with the screen it ends on; rejects with a PresetError when the world lacks what the
 * preset needs, or when a step does not come within `timeoutMs` (the car's own error then says where it stood).
 */
export async function applyPreset(core: Core, scenario: Scenario, preset: PresetId, timeoutMs = 60_000): Promise<ScreenSnapshot> {
  const phone = scenario.phones.find((p) => p.name === phoneName);
  if (preset !== 'guest' && (!scenario.accounts.some((a) => a.email === account.email) || (!phone && (preset === 'pairing' || preset === 'connected')))) {
    throw new PresetError(
      `the preset "${preset}" needs the demo world's ${account.email}${preset === 'pairing' || preset === 'connected' ? ` and ${phoneName}` : ''}: load the demo world first`,
    );
  }
  const touch = (itemId: string) => core.input({ kind: 'touch', itemId });
  // (the reset says it is done; the driver acknowledges it)
  if ((await core.loadScenario(scenario)).popup?.id === 'reset.done') touch('ok');
  if (preset === 'guest') return core.snapshot();
  const until = async (shown: (screen: ScreenSnapshot) => boolean, what: string) => {
    let screen = core.snapshot();
    while (!shown(screen)) {
      screen = await core.waitForView(screen.revision, timeoutMs).catch(() => {
        throw new PresetError(`the preset "${preset}" waited for ${what}; the car shows ${core.snapshot().screen}`);
      });
    }
    return screen;
  };

  for (const id of ['bmwId', 'add', 'email']) touch(id);
  core.input({ kind: 'type', text: account.email });
  touch('key.ok');
  core.input({ kind: 'type', text: account.password });
  touch('key.ok');
  await until((s) => s.screen === 'login.settings', 'the settings option');
  touch('keep');
  touch('continue');
  const offer = await until((s) => s.screen === 'login.pinOffer', '"Set up PIN now"');
  if (preset === 'pinOffer') return offer;

  touch('pinLater');
  await until((s) => s.screen === 'menu', 'the menu');
  touch('mobileDevices');
  const settingUp = await until((s) => s.screen === 'mobileDevices', 'Mobile devices');
  if (preset === 'esimSettingUp') return settingUp;

  const telephony = await until((s) => s.popup?.id === 'esim.telephony', 'the telephony pop-up');
  if (preset === 'telephonyOffer') return telephony;

  touch('activate');
  await until((s) => s.screen === 'bt.search' && s.items.some((i) => i.id === `found.${phone!.address}`), `${phoneName} in the search`);
  touch(`found.${phone!.address}`);
  const pairing = await until((s) => s.popup?.id === 'bt.pairing', 'the pairing code');
  if (preset === 'pairing') return pairing;

  touch('confirm');
  // (read from the eSIM machine, not the row's words, which are the car's language)
  const esimReady = () =>
    core
      .machines()
      .find((m) => m.name === 'esim')
      ?.active.includes('ready') ?? false;
  return until((s) => s.screen === 'mobileDevices' && s.status.phone !== null && esimReady(), 'the phone connected and the Personal eSIM Connected');
}
