import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { esimRowSays, setUpHanakosEsim } from '../support/carFlows';
import { launchBrowser, openDisplay, startHeadUnit, type RunningHeadUnit } from '../support/headUnit';

/**
 * The bench console at /bench/ beside the display, in Chromium, used by its visible labels: each
 * control changes the world and what the display shows, the fault queue is shown and clearable,
 * and the timeline says, live, what happened.
 */
let browser: Browser;
let unit: RunningHeadUnit | undefined;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});
afterEach(async () => {
  await unit?.stop();
  unit = undefined;
});

async function openConsole(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  await page.goto(new URL('bench/', url).href);
  await page.getByRole('status').filter({ hasText: 'connected to the car' }).waitFor();
  return page;
}

describe('the bench console', () => {
  it('changes the signal the display shows, queues and clears download faults, and walks a phone away', async () => {
    unit = await startHeadUnit(0);
    const display = await openDisplay(browser, unit.url);
    const bench = await openConsole(unit.url);
    // Hanako's Personal eSIM gives the car a network; the console takes its signal down to 2 bars.
    await setUpHanakosEsim(unit.car);
    await expect(esimRowSays(unit.car, 'Connected')).resolves.toMatchObject({ ok: true });
    const cellular = bench.getByRole('region', { name: 'Cellular' });
    await cellular.getByRole('group', { name: 'Signal' }).getByRole('button', { name: '2' }).click();
    await display.locator('[data-status="network"][aria-label$=" 2/4"]').waitFor();
    expect((await unit.car.screen()).status.network?.signal).toBe(2);
    await expect(cellular.getByRole('button', { name: '2' }).getAttribute('aria-pressed')).resolves.toBe('true');

    // The fault queue: shown, applied in order, cleared.
    const esim = bench.getByRole('region', { name: 'eSIM and SM-DP+' });
    await esim.getByRole('spinbutton', { name: 'errorReason' }).fill('8');
    await esim.getByRole('button', { name: 'Add fault' }).click();
    await esim.getByRole('combobox', { name: 'Fault' }).selectOption('reset');
    await esim.getByRole('combobox', { name: 'Step' }).selectOption('prepareDownload');
    await esim.getByRole('button', { name: 'Add fault' }).click();
    const queue = esim.getByRole('list', { name: 'Faults waiting (each applies to one download)' });
    await expect.poll(() => queue.getByRole('listitem').allInnerTexts()).toEqual(['load · errorReason 8 · 0', 'prepareDownload · reset']);
    expect((await unit.car.world()).modem?.faults).toEqual([
      { step: 'load', kind: 'errorReason', reason: 8, afterSegments: 0 },
      { step: 'prepareDownload', kind: 'reset' },
    ]);
    await esim.getByRole('button', { name: 'Clear faults' }).click();
    await expect.poll(() => queue.getByRole('listitem').allInnerTexts()).toEqual(['none']);

    // A phone walks away and comes back.
    const phone = bench.getByRole('article', { name: "Hanako's iPhone" });
    await phone.getByRole('button', { name: 'Walk away' }).click();
    await phone.getByText('Out of range').waitFor();
    await phone.getByRole('button', { name: 'Come back' }).click();
    await phone.getByText('In range').waitFor();

    // The timeline: the display's key, the console's controls, the machines' moves, in order.
    await display.keyboard.press('Home');
    const timeline = bench.getByRole('list', { name: 'Timeline' });
    await expect.poll(() => timeline.innerText(), { timeout: 10_000 }).toMatch(/input\s+button MENU/);
    const text = await timeline.innerText();
    expect(text).toMatch(/world\s+modem signal/);
    expect(text).toMatch(/world\s+modem clearFaults/);
    expect(text).toMatch(/world\s+phone .* range/);
    // Filtered by kind.
    await bench.getByRole('region', { name: 'Timeline' }).getByLabel('Show').selectOption('input');
    await expect.poll(async () => (await timeline.getByRole('listitem').allInnerTexts()).every((line) => /\binput\b/.test(line))).toBe(true);
    await display.close();
    await bench.close();
  });

  it('saves the bench with Connected Personal eSIM, and jumps back to it after a factory reset; the display follows', async () => {
    unit = await startHeadUnit(0);
    const display = await openDisplay(browser, unit.url);
    const bench = await openConsole(unit.url);
    await setUpHanakosEsim(unit.car);
    await expect(esimRowSays(unit.car, 'Connected')).resolves.toMatchObject({ ok: true });
    const checkpoints = bench.getByRole('region', { name: 'Checkpoints' });
    await checkpoints.getByRole('textbox', { name: 'Name' }).fill('esim-connected');
    await checkpoints.getByRole('button', { name: 'Save' }).click();
    const row = checkpoints.getByRole('row', { name: 'esim-connected' });
    await row.waitFor();

    await bench.getByRole('region', { name: 'Car' }).getByRole('button', { name: 'Factory reset', exact: true }).click();
    await display.locator('[data-status="profile"]', { hasText: 'Guest' }).waitFor();
    await row.getByRole('button', { name: 'Restore' }).click();
    await checkpoints.getByRole('status').filter({ hasText: 'Restored: esim-connected' }).waitFor();
    // The display, on the restarted car: Hanako's profile and the network in the status bar.
    await display.locator('[data-status="profile"]', { hasText: 'Hanako' }).waitFor();
    await display.locator('[data-status="network"]', { hasText: 'NTT DOCOMO' }).waitFor();
    // And its keys drive the restarted car: MENU, then Mobile devices shows the eSIM Connected.
    await display.keyboard.press('Home');
    await display.locator('[data-screen-id="menu"]').waitFor();
    await unit.car.touch('mobileDevices');
    await expect(esimRowSays(unit.car, 'Connected')).resolves.toMatchObject({ ok: true });
    const timeline = await unit.car.timeline(0);
    expect(timeline.events.map((e) => e.text)).toEqual(
      expect.arrayContaining(['checkpoint "esim-connected" saved', 'factory reset', 'checkpoint "esim-connected" restored']),
    );
    await display.close();
    await bench.close();
  });

  it('puts the car at a guide step from a preset, and resets car and world', async () => {
    unit = await startHeadUnit(0);
    const display = await openDisplay(browser, unit.url);
    const bench = await openConsole(unit.url);
    const car = bench.getByRole('region', { name: 'Car' });
    await car.getByRole('combobox', { name: 'Guide step' }).selectOption({ label: 'Logged in, at "Set up PIN now" (⑥)' });
    await car.getByRole('button', { name: 'Go there' }).click();
    await display.locator('[data-screen-id="login.pinOffer"]').waitFor();
    await car.getByRole('button', { name: 'Go there' }).and(bench.locator(':enabled')).waitFor();
    // The driver goes on from there with the controller: "Set up PIN now" opens the PIN pad.
    await display.keyboard.press('Enter');
    await display.locator('[data-screen-id="entry.pin"]').waitFor();
    // The display's settings from the console: day, then Japanese; a screenshot to save.
    await car.getByRole('combobox', { name: 'Display' }).selectOption({ label: 'Day' });
    await display.locator('.stage.theme-day').waitFor();
    await car.getByRole('combobox', { name: 'Language' }).selectOption({ label: '日本語' });
    await display.waitForFunction(() => document.documentElement.lang === 'ja');
    await car.getByRole('button', { name: 'Screenshot' }).click();
    await expect(car.getByRole('link', { name: 'Save display.png' }).getAttribute('href')).resolves.toMatch(/^data:image\/png;base64,iVBOR/);
    await car.getByRole('button', { name: 'Factory reset of car and world' }).click();
    await display.locator('[data-popup-id="reset.done"]').waitFor();
    await display.locator('[data-status="profile"]', { hasText: 'Guest' }).waitFor();
    await display.close();
    await bench.close();
  });

  it('takes the cloud away from the car and brings it back', async () => {
    unit = await startHeadUnit(0);
    const display = await openDisplay(browser, unit.url);
    const bench = await openConsole(unit.url);
    const outage = bench.getByRole('form', { name: 'The cloud for the car' });
    const choose = async (mode: string) => {
      await outage.getByRole('combobox', { name: 'The cloud for the car' }).selectOption({ label: mode });
      await outage.getByRole('button', { name: 'Apply' }).click();
    };
    const told = (text: string) => expect.poll(async () => (await unit!.car.timeline(0)).events.map((e) => e.text)).toContain(text);
    await choose('unreachable');
    await told('cloud outage unreachable');
    for (const id of ['bmwId', 'add', 'qr']) await unit.car.touch(id);
    await display.getByText('The BMW ID service cannot be reached. Check the connection and try again.').waitFor();
    await choose('working');
    await told('cloud outage none');
    await display.keyboard.press('Enter'); // Try again, where the cursor is
    await display.locator('[data-screen-id="login.qr"]').waitFor();
    await display.close();
    await bench.close();
  });

  it('charts the live machines, following the car as it moves', async () => {
    unit = await startHeadUnit(0, ['--bench-console']);
    // (the web host says where the console is, as --help promises)
    await expect.poll(() => unit!.output()).toContain(`the bench console: ${new URL('bench/', unit.url).href}`);
    const bench = await openConsole(unit.url);
    const bluetooth = bench.getByRole('region', { name: 'Live machines' }).getByRole('list', { name: 'bluetooth' });
    const current = () => bluetooth.locator('[aria-current="true"]').allInnerTexts();
    await expect.poll(current).toContain('idle');
    await unit.car.touch('mobileDevices');
    await unit.car.touch('connectNew');
    await expect.poll(current).toContain('search');
    await bench.close();
  });

  it('gives a BMW ID without a line an NTT DOCOMO line, and takes it away', async () => {
    unit = await startHeadUnit(0);
    const bench = await openConsole(unit.url);
    const cloud = bench.getByRole('region', { name: 'BMW IDs and lines' });
    const taro = cloud.getByRole('row', { name: 'taro@example.com' });
    await expect(taro.innerText()).resolves.toContain('no line');
    const form = taro.getByRole('form', { name: 'Give a line' });
    await form.getByRole('textbox', { name: 'Number' }).fill('+81 90-3333-4444');
    await form.getByRole('textbox', { name: 'Network PIN' }).fill('9876');
    await form.getByRole('button', { name: 'Give a line' }).click();
    await expect.poll(() => taro.innerText()).toContain('+81 90-3333-4444 · One Number not subscribed');
    // the PIN was given to the carrier, and is not shown back
    await expect(cloud.innerText()).resolves.not.toContain('9876');
    // How far STEP 1 got: One Number ticked, then STEP 1 rewound.
    await taro.getByRole('group', { name: 'STEP 1' }).getByRole('checkbox', { name: 'One Number' }).click();
    await expect.poll(() => taro.innerText()).toContain('+81 90-3333-4444 · One Number');
    await expect(taro.getByRole('checkbox', { name: 'Multi-Device Option' }).isChecked()).resolves.toBe(false);
    await taro.getByRole('button', { name: 'Rewind STEP 1' }).click();
    await expect.poll(() => taro.innerText()).toContain('One Number not subscribed');
    await taro.getByRole('button', { name: 'Text messages' }).click();
    await expect(taro.getByRole('list', { name: 'Text messages on the phone' }).innerText()).resolves.toBe('none');
    await taro.getByRole('button', { name: 'Take the line away' }).click();
    await expect.poll(() => taro.innerText()).toContain('no line');
  });

  it("rings the car as a contact of the paired phone, lists the SM-DP+'s orders, and changes the world's behaviour live", async () => {
    unit = await startHeadUnit(0);
    const display = await openDisplay(browser, unit.url);
    const bench = await openConsole(unit.url);
    const car = bench.getByRole('region', { name: 'Car' });
    await car.getByRole('combobox', { name: 'Guide step' }).selectOption({ label: 'Connected, the phone paired (⑭)' });
    await car.getByRole('button', { name: 'Go there' }).click();
    await car.getByRole('button', { name: 'Go there' }).and(bench.locator(':enabled')).waitFor({ timeout: 60_000 });
    // One Number rings the car as a contact of Hanako's phone: the car shows the contact's name.
    const hanakos = (await unit.car.world()).phones!.find((p) => p.name === "Hanako's iPhone")!;
    const caller = hanakos.callers[0]!;
    const cellular = bench.getByRole('region', { name: 'Cellular' });
    await cellular.getByRole('combobox', { name: 'From a contact' }).selectOption({ label: `${caller.name} (${caller.number})` });
    await expect(cellular.getByRole('textbox', { name: 'Number' }).inputValue()).resolves.toBe(caller.number);
    await cellular.getByRole('button', { name: 'Ring the car' }).click();
    await display.locator('[data-popup-id="call.incoming"]', { hasText: caller.name }).waitFor();
    await cellular.getByRole('button', { name: 'Other party hangs up' }).click();
    await display.locator('[data-popup-id="call.incoming"]').waitFor({ state: 'detached' });
    // The SM-DP+'s order for Hanako's car, installed.
    const orders = bench.getByRole('region', { name: 'eSIM and SM-DP+' }).getByRole('table', { name: 'SM-DP+ orders' });
    await expect.poll(() => orders.getByRole('row').filter({ hasText: 'hanako@example.com' }).innerText()).toContain('installed');
    // An order for lpac with profile protection keys: its activation code to copy, then expired by the bench.
    const esim = bench.getByRole('region', { name: 'eSIM and SM-DP+' });
    await esim.getByRole('checkbox', { name: 'with profile protection keys' }).check();
    await esim.getByRole('button', { name: 'Order for any LPA' }).click();
    const code = await esim.getByRole('status', { name: 'Activation code' }).innerText();
    expect(code).toMatch(/^LPA:1\$127\.0\.0\.1:\d+\$[0-9A-F]{24}$/);
    const matchingId = code.split('$')[2]!;
    const ordered = orders.getByRole('row').filter({ hasText: matchingId });
    await expect.poll(() => ordered.innerText()).toMatch(/\(bench\)[\s\S]*released/);
    await ordered.getByRole('button', { name: 'Expire' }).click();
    await expect.poll(() => ordered.innerText()).toContain('expired');
    expect(await ordered.getByRole('button', { name: 'Expire' }).count()).toBe(0);
    // STEP 1's phone on cellular, a QR code of 30 s, the module and phones twice as slow.
    const world = bench.getByRole('group', { name: 'The world' });
    await world.getByRole('radio', { name: 'cellular (network PIN)' }).click();
    await expect.poll(async () => (await unit!.car.cloud({ action: 'behaviour' })).behaviour?.phoneOn).toBe('cellular');
    await world.getByRole('spinbutton', { name: 'QR code lifetime (s)' }).fill('30');
    await world.getByRole('button', { name: 'Set' }).click();
    await expect.poll(async () => (await unit!.car.cloud({ action: 'behaviour' })).behaviour?.deviceCodeLifetimeSeconds).toBe(30);
    await world.getByRole('combobox', { name: 'Pace of the module and phones' }).selectOption({ label: 'twice as slow' });
    await expect.poll(async () => (await unit!.car.world()).pace).toBe(2);
    await display.close();
    await bench.close();
  });

  it('exports the timeline of an e-mail login, filters it by guide step, and replays the file on a car as new', async () => {
    unit = await startHeadUnit(0);
    const display = await openDisplay(browser, unit.url);
    const bench = await openConsole(unit.url);
    // The driver logs in by e-mail (the PIN later); the car ends in the menu with Hanako's profile.
    for (const id of ['bmwId', 'add', 'email']) await unit.car.touch(id);
    await unit.car.type('hanako@example.com');
    await unit.car.touch('key.ok');
    await unit.car.type('onenumber-demo');
    await unit.car.touch('key.ok');
    await unit.car.waitForScreen('login.settings');
    for (const id of ['keep', 'continue', 'pinLater']) await unit.car.touch(id);
    await display.locator('[data-status="profile"]', { hasText: 'Hanako Suzuki' }).waitFor();
    const panel = bench.getByRole('region', { name: 'Timeline' });
    const timeline = panel.getByRole('list', { name: 'Timeline' });
    await expect.poll(() => timeline.innerText()).toMatch(/touch pinLater/);
    // By guide step: the login's events only.
    await panel.getByLabel('Guide step').selectOption({ label: 'STEP 2 BMW ID login' });
    const shown = await timeline.getByRole('listitem').allInnerTexts();
    expect(shown.length).toBeGreaterThan(3);
    expect(shown.every((line) => line.includes('STEP 2 BMW ID login'))).toBe(true);
    await panel.getByLabel('Guide step').selectOption({ label: 'all' });
    // Exported as JSON lines, without the e-mail or the password.
    const [download] = await Promise.all([bench.waitForEvent('download'), panel.getByRole('button', { name: 'Export (JSON lines)' }).click()]);
    const file = await download.path();
    const text = await readFile(file, 'utf8');
    expect(text).not.toMatch(/hanako@|onenumber-demo/);
    // Replayed from the car and world as new: Guest again, then Hanako's login through the same screens.
    const replay = panel.getByRole('form', { name: 'Replay a timeline' });
    await replay.getByLabel('Timeline (JSON lines)').setInputFiles(file);
    await replay.getByRole('button', { name: 'Replay' }).click();
    await expect.poll(() => replay.getByRole('status').innerText(), { timeout: 40_000 }).toContain('give that text in secrets["entry.email"]');
    await replay.getByRole('textbox', { name: /What was typed into secret fields/ }).fill('entry.email=hanako@example.com\nentry.password=onenumber-demo');
    await replay.getByRole('button', { name: 'Replay' }).click();
    await expect.poll(() => replay.getByRole('status').innerText(), { timeout: 30_000 }).toMatch(/^Replayed: \d+/);
    await display.locator('[data-status="profile"]', { hasText: 'Hanako Suzuki' }).waitFor();
    const events = (await unit.car.timeline(0)).events;
    // (each replay began with the car and world as new)
    expect(events.filter((e) => e.text === 'preset guest')).toHaveLength(2);
    expect(events.filter((e) => e.text === 'touch pinLater')).toHaveLength(2);
    await display.close();
    await bench.close();
  });

  it('reads the timeline through the automation API after a seq, without secrets', async () => {
    unit = await startHeadUnit(0);
    const { last } = await unit.car.timeline(0);
    await unit.car.touch('bmwId');
    await unit.car.touch('add');
    await unit.car.touch('email');
    await unit.car.type('hanako@example.com');
    const { events } = await unit.car.timeline(last);
    expect(events.map((e) => e.text)).toEqual(expect.arrayContaining(['touch bmwId', 'touch add', 'touch email', 'type 18 character(s)']));
    expect(JSON.stringify(events)).not.toContain('hanako');
    expect(events.every((e, i) => i === 0 || e.seq > events[i - 1]!.seq)).toBe(true);
    // (screen.read carries the status bar and the context pane)
    const screen = await unit.car.screen();
    expect(screen.status).toMatchObject({ profile: 'Guest', data: false });
  });
});
