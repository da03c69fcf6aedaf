import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SimBluetooth } from '../hardware/bluetooth/sim/simBluetooth';
import { Core } from '../main/core';
import { sortContacts } from '../main/phonebook/order';
import { parseContacts } from '../main/phonebook/vcard';
import { defaultScenario, ScenarioPhone, type ScenarioInput } from '../shared/scenario';
import { addByEmail } from '../test/support/carWithCloud';
import { addByEmailOver, launchBrowser, openDisplay, startHeadUnit } from '../test/support/headUnit';
import { startCloud } from '../cloud/server';
import { report, summary } from './stats';

/**
 * Bluetooth figures: syncing a 10,000-contact address book (parse, store, first render of the
 * list), scrolling that list with the controller in Chromium, and the device list with 200 phones
 * in range updating live. Printed and written; nothing here passes or fails on time.
 */
const count = Number(process.env.BENCH_CONTACTS ?? 10_000);
const phone = '5C:F9:38:A1:B2:C3';
const families = [['佐藤', 'さとう'], ['鈴木', 'すずき'], ['高橋', 'たかはし'], ['田中', 'たなか'], ['伊藤', 'いとう'], ['渡辺', 'わたなべ'], ['山本', 'やまもと'], ['中村', 'なかむら']];
const givens = [['花子', 'はなこ'], ['太郎', 'たろう'], ['美咲', 'みさき'], ['健', 'けん'], ['さくら', 'さくら'], ['一郎', 'いちろう']];
const latin = ['Smith', 'Müller', 'García', 'Rossi', 'Dubois', 'Nowak', 'Jensen', 'Silva'];

/** An address book as an Android phone sends it: vCard 2.1, UTF-8 in QUOTED-PRINTABLE, readings. */
function addressBook(n: number): string {
  const qp = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  const cards: string[] = [];
  for (let i = 0; i < n; i++) {
    const tel = `090-${String(1000 + (i % 9000)).padStart(4, '0')}-${String(i).padStart(4, '0').slice(-4)}`;
    if (i % 3 === 2) {
      const last = latin[i % latin.length]!;
      cards.push(['BEGIN:VCARD', 'VERSION:2.1', `N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:${qp(last)};${qp(`Anna${i}`)};;;`, `FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:${qp(`Anna${i} ${last}`)}`, `TEL;CELL:${tel}`, 'END:VCARD'].join('\r\n'));
      continue;
    }
    const [family, familyReading] = families[i % families.length]!;
    const [given, givenReading] = givens[Math.floor(i / families.length) % givens.length]!;
    cards.push(['BEGIN:VCARD', 'VERSION:2.1',
      `N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:${qp(family!)};${qp(`${given}${i}`)};;;`,
      `FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:${qp(`${family} ${given}${i}`)}`,
      `X-PHONETIC-LAST-NAME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:${qp(familyReading!)}`,
      `X-PHONETIC-FIRST-NAME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:${qp(givenReading!)}`,
      `TEL;CELL:${tel}`, 'TEL;HOME:03-3333-4444', 'END:VCARD'].join('\r\n'));
  }
  return cards.join('\r\n') + '\r\n';
}

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
  const car = (bluetooth?: SimBluetooth) => new Core({
    dataDir: dir, language: 'ja', cloudUrl: () => cloud.url, smdpCertificates: [cloud.smdpCertificate], timeScale: 0,
    scenario: { ...defaultScenario, phones: [] }, ...(bluetooth ? { bluetooth } : {}),
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
    const fileMiB = Math.round(((await readFile(join(dir, 'devices.json'))).length / 2 ** 20) * 10) / 10;

    const restarted = performance.now();
    core = car();
    await core.ready;
    const ready = performance.now() - restarted;
    core.input({ kind: 'touch', itemId: 'contacts' });
    await waitFor(core, () => core.snapshot().items.some((i) => i.id.startsWith('c.')));
    const steps: number[] = [];
    for (let i = 0; i < 400; i++) {
      const t = performance.now();
      core.input({ kind: 'rotate', detents: i < 200 ? 1 : -1 });
      steps.push(performance.now() - t);
    }
    await core.stop();
    return { toList: listed - confirmed, toDisk: stored - confirmed, fileMiB, ready, steps, longestStall };
  } finally {
    await cloud.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function scenarioFile(dir: string, scenario: ScenarioInput): Promise<string> {
  const file = join(dir, 'scenario.json');
  await writeFile(file, JSON.stringify(scenario));
  return file;
}

async function loginAndPair(car: Awaited<ReturnType<typeof startHeadUnit>>['car']) {
  await addByEmailOver(car, 'hanako@example.com', 'onenumber-demo');
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

  // In Chromium: the head unit as a user starts it, with the 10,000 contacts, then 200 phones in range.
  const dir = await mkdtemp(join(tmpdir(), 'idrive-bench-bt-'));
  const browser = await launchBrowser();
  let scroll: ReturnType<typeof summary>;
  let live: ReturnType<typeof summary>;
  let scrollDevices: ReturnType<typeof summary>;
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
      name: `Phone ${i + 1}`, address: `02:00:00:00:${String(Math.floor(i / 100)).padStart(2, '0')}:${String(i % 100).padStart(2, '0')}`, rssi: -40 - (i % 55),
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
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }

  await report('bluetooth', [
    { name: `parse ${count} vCards (2.1, QP)`, value: Math.round(summary(parse).p50), unit: 'ms' },
    { name: `sort ${count} contacts by reading`, value: Math.round(summary(sort).p50), unit: 'ms' },
    { name: `sync ${count}: Confirm → list on screen`, value: Math.round(toList.p50), unit: 'ms', goal: '≤ 500 ms' },
    { name: `sync ${count}: Confirm → stored on disk`, value: Math.round(toDisk.p50), unit: 'ms' },
    { name: `sync ${count}: longest event-loop stall`, value: Math.round(stall.p50), unit: 'ms', goal: '≤ 50 ms' },
    { name: `restart with ${count} contacts: core ready`, value: Math.round(restart.p50), unit: 'ms' },
    { name: `scroll ${count} contacts: core per step p50`, value: step.p50, unit: 'ms' },
    { name: `scroll ${count} contacts: core per step p99`, value: step.p99, unit: 'ms', goal: '≤ 4 ms' },
    { name: 'contacts scroll, frame interval p50', value: scroll.p50, unit: 'ms' },
    { name: 'contacts scroll, frame interval p99', value: scroll.p99, unit: 'ms', goal: '≤ 17 ms' },
    { name: '200 devices live, frame interval p99', value: live.p99, unit: 'ms', goal: '≤ 17 ms' },
    { name: '200 devices scroll, frame interval p99', value: scrollDevices.p99, unit: 'ms', goal: '≤ 17 ms' },
  ], { parse: summary(parse), sort: summary(sort), syncToList: toList, syncToDisk: toDisk, devicesFileMiB: syncs[0]?.fileMiB, restart, step, scroll, live, scrollDevices });
}

await main();
