import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SimBluetooth } from '../hardware/bluetooth/sim/simBluetooth';
import { Core } from '../main/core';
import { PairedDevices } from '../main/bluetooth/devices';
import { CarStore } from '../main/wiring/carStore';
import { nextTurn } from '../main/slices';
import { sortContacts } from '../main/phonebook/order';
import { parseContacts } from '../main/phonebook/vcard';
import { defaultScenario, ScenarioPhone, type ScenarioInput } from '../shared/scenario';
import { simulatedParts } from '../main/world';

import { launchBrowser, openDisplay, startHeadUnit } from '../test/support/headUnit';
import { startCloud } from '../cloud/server';
import { residentMib } from './proc';
import { report, summary } from './stats';
import { addressBook } from '../test/support/addressBook';
import { addByEmail } from '../test/support/driver';

/**
 * Bluetooth figures: syncing a 50,000-contact address book (parse, store, first render of the
 * list, the longest the event loop stands still meanwhile), logging a call with it stored, the
 * head unit's memory after a 100,000-contact sync, scrolling the list with the controller in
 * Chromium, and the device list with 200 phones in range updating live. Each goal is printed with
 * the figure the head unit had before address books were kept off the input path ("before", at
 * 50,000 contacts, from the same bench on this machine). Printed and written; nothing here passes
 * or fails on time.
 */
const count = Number(process.env.BENCH_CONTACTS ?? 50_000);
/** the address book whose memory is measured (the head unit's resident set after its sync) */
const largeCount = Number(process.env.BENCH_LARGE_CONTACTS ?? 100_000);
const phone = '5C:F9:38:A1:B2:C3';
function waitFor(core: Core, check: () => boolean): Promise<number> {
  return new Promise((resolve) => {
    const done = () => {
      if (!check()) return;
      stop();
      resolve(performance.now());
    };
    const stop = core.onView(done);
    done();
  });
}

/**
 * In the core, with no simulated radio time: from the driver's Confirm to the list on screen, and to
 * the file on disk; then a restart with the address book stored, and the core's time per controller
 * step while scrolling it (the display's frames are measured separately, in Chromium).
 */
async function syncOnce(vcards: string) {
  const dir = await mkdtemp(join(tmpdir(), 'idrive-bench-bt-'));
  const cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
  const car = (bluetooth?: SimBluetooth) =>
    new Core({
      dataDir: dir,
      language: 'ja',
      cloudUrl: () => cloud.url,
      timeScale: 0,
      scenario: { ...defaultScenario, phones: [] },
      parts: simulatedParts({ ...defaultScenario, phones: [] }, { ...(bluetooth ? { bluetooth } : {}), timeScale: 0 }),
    });
  try {
    let core = car(new SimBluetooth({ phones: [ScenarioPhone.parse({ name: 'Bench phone', address: phone, vcards, confirmAfterMs: 0 })], timeScale: 0 }));
    await core.ready;
    await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
    core.input({ kind: 'touch', itemId: 'mobileDevices' });
    core.input({ kind: 'touch', itemId: 'connectNew' });
    await waitFor(core, () => core.snapshot().items.some((i) => i.id === `found.${phone}`));
    core.input({ kind: 'touch', itemId: `found.${phone}` });
    await waitFor(core, () => core.snapshot().popup?.id === 'bt.pairing');
    // The longest the event loop stands still while the address book syncs: nothing answers the
    // controller meanwhile (1 ms resolution).
    const stalls = monitorEventLoopDelay({ resolution: 1 });
    stalls.enable();
    const confirmed = performance.now();
    core.input({ kind: 'touch', itemId: 'confirm' });
    await waitFor(core, () => core.snapshot().screen === 'mobileDevices');
    core.input({ kind: 'button', button: 'MENU' });
    core.input({ kind: 'touch', itemId: 'contacts' });
    const listed = await waitFor(core, () => core.snapshot().items.some((i) => i.id.startsWith('c.')));
    await core.stop(); // waits for every queued write: the address book is on disk
    const stored = performance.now();
    stalls.disable();
    const longestStall = stalls.max / 1e6;
    const fileMiB = await addressBookMiB(dir);
    const callLog = await callLogStalls(dir);

    const restarted = performance.now();
    core = car();
    await core.ready;
    const ready = performance.now() - restarted;
    core.input({ kind: 'touch', itemId: 'contacts' });
    await waitFor(core, () => core.snapshot().items.some((i) => i.id.startsWith('c.')));
    // (each detent in a turn of its own, as they arrive from the display's socket)
    const steps: number[] = [];
    for (let i = 0; i < 400; i++) {
      const t = performance.now();
      core.input({ kind: 'rotate', detents: i < 200 ? 1 : -1 });
      steps.push(performance.now() - t);
      await nextTurn();
    }
    await core.stop();
    return { toList: listed - confirmed, toDisk: stored - confirmed, fileMiB, ready, steps, longestStall, callLog };
  } finally {
    await cloud.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The size of the phone's address-book file (each phone's book has a file of its own under phones/). */
async function addressBookMiB(dir: string): Promise<number> {
  const name = (await readdir(join(dir, 'phones'))).find((f) => f.endsWith('.contacts.json'))!;
  return Math.round(((await stat(join(dir, 'phones', name))).size / 2 ** 20) * 10) / 10;
}

/**
 * A call logged on the car with the synced address book stored: the longest the event loop stands
 * still while the log is written (as the Bluetooth machine's `persist` writes it), over 20 calls.
 */
async function callLogStalls(dir: string): Promise<number[]> {
  const store = new CarStore(dir, 'ja');
  const paired = new PairedDevices(store.devices, store.phones);
  const profiles = (await paired.load()).profiles;
  const key = Object.keys(profiles).find((k) => profiles[k]!.length > 0)!;
  const profile = key === 'guest' ? null : key;
  const stalls: number[] = [];
  for (let i = 0; i < 20; i++) {
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const current = paired.of(profile);
    const entry = {
      name: '',
      number: `090-0000-${String(i).padStart(4, '0')}`,
      direction: 'dialed' as const,
      at: new Date().toISOString(),
      via: 'esim' as const,
    };
    // (what the machine's persist does after a call: the device with a new call log, the rest as it was)
    const start = performance.now();
    const written = paired.set(
      profile,
      current.map((d, n) => (n === 0 ? { ...d, callLog: [entry, ...d.callLog] } : d)),
    );
    const blocked = performance.now() - start;
    await written;
    delay.disable();
    stalls.push(Math.max(blocked, delay.max / 1e6));
  }
  return stalls;
}

async function scenarioFile(dir: string, scenario: ScenarioInput): Promise<string> {
  const file = join(dir, 'scenario.json');
  await writeFile(file, JSON.stringify(scenario));
  return file;
}

/** Until the head unit's screen satisfies `check` (each view change looked at). */
async function screenUntil(
  car: Awaited<ReturnType<typeof startHeadUnit>>['car'],
  check: (screen: Awaited<ReturnType<typeof car.screen>>) => boolean,
): Promise<void> {
  while (!check(await car.screen())) await car.waitForEvent('view', 120_000).catch(() => undefined);
}

/**
 * The head unit as a user starts it (its own process, no display open), after syncing an address
 * book of `n` contacts and opening Contacts: its resident memory, from /proc.
 */
async function rssAfterSync(dir: string, n: number): Promise<number> {
  const file = await scenarioFile(dir, { ...defaultScenario, phones: [{ name: 'Bench phone', address: phone, vcards: addressBook(n), confirmAfterMs: 0 }] });
  const unit = await startHeadUnit(0, ['--scenario', file]);
  try {
    await loginAndPair(unit.car);
    await unit.car.touch('connectNew');
    await screenUntil(unit.car, (screen) => screen.items.some((i) => i.id === `found.${phone}`));
    await unit.car.touch(`found.${phone}`);
    await screenUntil(unit.car, (screen) => screen.popup?.id === 'bt.pairing');
    await unit.car.touch('confirm');
    await unit.car.waitForScreen('mobileDevices', 10_000);
    await unit.car.button('MENU');
    await unit.car.touch('contacts');
    await screenUntil(unit.car, (screen) => screen.items.some((i) => i.id.startsWith('c.')) && !screen.items.some((i) => i.id === 'sync'));
    return (await residentMib(unit.process.pid!)) / 1024;
  } finally {
    await unit.stop();
  }
}

async function loginAndPair(car: Awaited<ReturnType<typeof startHeadUnit>>['car']) {
  await addByEmail(car, 'hanako@example.com', 'onenumber-demo');
  await car.touch('mobileDevices');
}

/** The frame-measuring functions, evaluated in the page through the debugger protocol (the display's CSP refuses script tags). */
async function loadFrames(page: Page): Promise<void> {
  await page.evaluate(await readFile(join('bench', 'page', 'frames.js'), 'utf8'));
}

async function main() {
  const vcards = addressBook(count);
  const bytes = new TextEncoder().encode(vcards);
  const parse: number[] = [];
  const sort: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const contacts = parseContacts(bytes);
    const t1 = performance.now();
    sortContacts(contacts, 'ja');
    sort.push(performance.now() - t1);
    parse.push(t1 - t0);
  }
  const syncs = [];
  for (let i = 0; i < 3; i++) syncs.push(await syncOnce(vcards));
  const toList = summary(syncs.map((s) => s.toList));
  const toDisk = summary(syncs.map((s) => s.toDisk));
  const stall = summary(syncs.map((s) => s.longestStall));
  const restart = summary(syncs.map((s) => s.ready));
  const step = summary(syncs.flatMap((s) => s.steps));
  const callLog = summary(syncs.flatMap((s) => s.callLog));

  // In Chromium: the head unit as a user starts it, with the 10,000 contacts, then 200 phones in range.
  const dir = await mkdtemp(join(tmpdir(), 'idrive-bench-bt-'));
  const browser = await launchBrowser();
  let scroll: ReturnType<typeof summary>;
  let live: ReturnType<typeof summary>;
  let scrollDevices: ReturnType<typeof summary>;
  let rss: number;
  try {
    const file = await scenarioFile(dir, { ...defaultScenario, phones: [{ name: 'Bench phone', address: phone, vcards, confirmAfterMs: 0 }] });
    let unit = await startHeadUnit(0, ['--scenario', file]);
    let page = await openDisplay(browser, unit.url);
    await loginAndPair(unit.car);
    await unit.car.touch('connectNew');
    await page.waitForSelector(`[data-item-id="found.${phone}"]`);
    await unit.car.touch(`found.${phone}`);
    await page.waitForSelector('[data-popup-id="bt.pairing"]');
    await unit.car.touch('confirm');
    await unit.car.waitForScreen('mobileDevices', 10_000);
    await unit.car.button('MENU');
    await unit.car.touch('contacts');
    await page.waitForSelector('.screen [data-item-id^="c."]', { timeout: 60_000 });
    await loadFrames(page);
    await unit.car.touch('c.0');
    await unit.car.button('BACK');
    scroll = summary(await page.evaluate<number[]>(`measureScrollFrames(600, ']')`));
    await page.close();
    await unit.stop();

    const many = Array.from({ length: 200 }, (_, i) => ({
      name: `Phone ${i + 1}`,
      address: `02:00:00:00:${String(Math.floor(i / 100)).padStart(2, '0')}:${String(i % 100).padStart(2, '0')}`,
      rssi: -40 - (i % 55),
    }));
    const crowd = await scenarioFile(dir, { ...defaultScenario, phones: many });
    unit = await startHeadUnit(0, ['--scenario', crowd]);
    page = await openDisplay(browser, unit.url);
    await loginAndPair(unit.car);
    await unit.car.touch('connectNew');
    // (a long list reaches the display in part: the rows around the cursor)
    await page.waitForFunction(() => document.querySelectorAll('.screen [data-item-id^="found."]').length >= 80);
    await loadFrames(page);
    // The list re-ranks as every phone's signal moves (a sweep every 2 s): watch three sweeps, then scroll it.
    live = summary(await page.evaluate<number[]>('measureIdleFrames(6000)'));
    scrollDevices = summary(await page.evaluate<number[]>(`measureScrollFrames(300, ']')`));
    await page.close();
    await unit.stop();
    rss = await rssAfterSync(dir, largeCount);
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }

  await report(
    'bluetooth',
    [
      { name: `parse ${count} vCards (2.1, QP)`, value: Math.round(summary(parse).p50), unit: 'ms' },
      { name: `sort ${count} contacts by reading`, value: Math.round(summary(sort).p50), unit: 'ms' },
      { name: `sync ${count}: Confirm → list on screen`, value: Math.round(toList.p50), unit: 'ms', goal: '≤ 1500 ms', before: 1406 },
      { name: `sync ${count}: Confirm → stored on disk`, value: Math.round(toDisk.p50), unit: 'ms' },
      { name: `sync ${count}: longest event-loop stall`, value: Math.round(stall.p50), unit: 'ms', goal: '≤ 50 ms', before: 916 },
      { name: `call logged with ${count} contacts: loop blocked p99`, value: callLog.p99, unit: 'ms', goal: '≤ 5 ms', before: 115 },
      { name: `restart with ${count} contacts: core ready`, value: Math.round(restart.p50), unit: 'ms' },
      { name: `scroll ${count} contacts: core per step p50`, value: step.p50, unit: 'ms' },
      { name: `scroll ${count} contacts: core per step p99`, value: step.p99, unit: 'ms', goal: '≤ 2 ms', before: 9.1 },
      { name: `address book file, ${count} contacts`, value: syncs[0]?.fileMiB ?? NaN, unit: 'MiB', before: 18.8 },
      { name: `RSS after a ${largeCount}-contact sync`, value: Math.round(rss * 100) / 100, unit: 'GiB', goal: '< 0.64 GiB', before: 0.64 },
      { name: 'contacts scroll, frame interval p50', value: scroll.p50, unit: 'ms' },
      { name: 'contacts scroll, frame interval p99', value: scroll.p99, unit: 'ms', goal: '≤ 17 ms' },
      { name: '200 devices live, frame interval p99', value: live.p99, unit: 'ms', goal: '≤ 17 ms' },
      { name: '200 devices scroll, frame interval p99', value: scrollDevices.p99, unit: 'ms', goal: '≤ 17 ms' },
    ],
    { parse: summary(parse), sort: summary(sort), syncToList: toList, syncToDisk: toDisk, stall, callLog, restart, step, scroll, live, scrollDevices },
  );
}

await main();
