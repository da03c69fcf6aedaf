import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../shared/contract';
import { parseCommand } from '../../main/automation/console';
import { parseOptions, defaultPort } from '../../main/options';
import { automationTokenFor, exposureLines } from '../../main/exposure';
import { keyToInput, wheelToDetents } from '../../renderer/head-unit/keymap';
import { languageFromLocale, translate } from '../../shared/i18n';
import { en } from '../../shared/i18n/en';
import { ja } from '../../shared/i18n/ja';

const key = (k: string) => ({ key: k, ctrlKey: false, altKey: false, metaKey: false });

describe('the bench keyboard map', () => {
  it.each([
    ['ArrowUp', { kind: 'tilt', direction: 'up' }],
    ['ArrowLeft', { kind: 'tilt', direction: 'left' }],
    [']', { kind: 'rotate', detents: 1 }],
    ['[', { kind: 'rotate', detents: -1 }],
    ['Enter', { kind: 'key', key: 'Enter' }],
    ['Escape', { kind: 'button', button: 'BACK' }],
    ['Backspace', { kind: 'key', key: 'Backspace' }],
    ['Home', { kind: 'button', button: 'MENU' }],
    ['F1', { kind: 'button', button: 'OPTION' }],
    ['F2', { kind: 'button', button: 'TEL' }],
    ['a', { kind: 'type', text: 'a' }],
    ['@', { kind: 'type', text: '@' }],
    ['ü', { kind: 'type', text: 'ü' }],
    ['Shift', null],
    ['Process', null],
  ])('%s', (k, input) => expect(keyToInput(key(k))).toEqual(input));

  it('leaves shortcuts with Ctrl, Alt or Meta to the browser', () => {
    expect(keyToInput({ ...key('r'), ctrlKey: true })).toBeNull();
  });

  it('leaves the keys an input method composes with to it (its text comes when it commits)', () => {
    expect(keyToInput(key('Process'))).toBeNull();
    for (const k of ['Enter', 'Backspace', 'a', 'ArrowDown']) expect(keyToInput({ ...key(k), isComposing: true }), k).toBeNull();
  });

  it('turns wheel movement into whole detents, keeping the remainder', () => {
    const wheel = wheelToDetents();
    expect(wheel(60, 0)).toBe(0);
    expect(wheel(60, 0)).toBe(1);
    expect(wheel(-300, 0)).toBe(-2);
    expect(wheel(3, 1)).toBe(2); // -80 px left over, plus three lines
  });
});

describe('start options', () => {
  it('has defaults that run a car on loopback', () => {
    const options = parseOptions([], { LANG: 'ja_JP.UTF-8', XDG_DATA_HOME: '/x' });
    expect(options).toMatchObject({
      host: '127.0.0.1',
      port: defaultPort,
      kiosk: false,
      systemLanguage: 'ja',
      language: undefined,
      dataDir: '/x/idrive-emulator',
      shell: 'auto',
    });
  });

  it('reads every option', () => {
    expect(parseOptions(['--kiosk', '--resolution', '2880x1080', '--lang', 'en', '--web', '--no-open', '--port', '0', '--console'], {})).toMatchObject({
      kiosk: true,
      resolution: '2880x1080',
      language: 'en',
      shell: 'web',
      open: false,
      port: 0,
      console: true,
    });
    expect(parseOptions(['--modem', 'at:/dev/ttyUSB2'], {})).toMatchObject({
      modem: 'at',
      modemDevice: '/dev/ttyUSB2',
      modemSettings: {},
      modemPty: undefined,
    });
    expect(parseOptions(['--modem', 'at:/dev/ttyS1,baud=9600,apdu-timeout=120'], {})).toMatchObject({
      modemDevice: '/dev/ttyS1',
      modemSettings: { baudRate: 9600, apduTimeoutMs: 120_000 },
    });
    expect(parseOptions(['--modem-pty', '/tmp/m'], {})).toMatchObject({ modem: 'sim', modemPty: '/tmp/m' });
  });

  it.each([
    [['--resolution', '800x600'], /--resolution must be one of 1920x720, 1280x480, 2880x1080/],
    [['--lang', 'de'], /--lang must be one of en, ja/],
    [['--port', 'http'], /--port must be a number/],
    [['--bluetooth', 'hci0'], /--bluetooth must be one of sim, bluez, ble/],
    [['--web', '--electron'], /cannot be used together/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['--modem', 'qmi'], /--modem must be sim or at:<serial port>/],
    [['--modem', 'at:/dev/ttyUSB2,apdu-timeout=0'], /is not baud=<300–4000000> or apdu-timeout=<1–600 seconds>/],
    [['--modem', 'at:/dev/ttyUSB2', '--modem-pty', '/tmp/m'], /cannot be used with --modem at:/],
  ])('explains a bad option %j', (argv, message) => expect(() => parseOptions(argv, {})).toThrow(message));

  it('takes a fleet’s automation token from IDRIVE_AUTOMATION_TOKEN, never a guessable one, and never prints it', () => {
    const token = 'Zk3v9Qm_x7-LwB2nR4tYcA8d';
    expect(parseOptions(['--automation-host', '0.0.0.0'], { IDRIVE_AUTOMATION_TOKEN: token })).toMatchObject({ host: '0.0.0.0', automationToken: token });
    expect(parseOptions([], {})).toMatchObject({ automationToken: undefined });
    for (const weak of ['secret', 'a'.repeat(21), 'has spaces in it, 22 chars']) {
      expect(() => parseOptions([], { IDRIVE_AUTOMATION_TOKEN: weak })).toThrow(/IDRIVE_AUTOMATION_TOKEN must be at least 22 characters/);
    }
    expect(automationTokenFor('0.0.0.0', token)).toBe(token);
    expect(automationTokenFor('127.0.0.1', token)).toBeUndefined();
    const lines = exposureLines(
      { cloud: null, lan: null, modemPty: null, euiccPcsc: null },
      { display: 'http://0.0.0.0:4730/', token, tokenGiven: true, cloudUrl: 'http://cloud:4731/' },
    ).join('\n');
    expect(lines).toContain('<IDRIVE_AUTOMATION_TOKEN>');
    expect(lines).not.toContain(token);
  });
});

describe('the console', () => {
  it('turns lines into automation requests', () => {
    expect(parseCommand('rotate +2')).toEqual(['input.send', { kind: 'rotate', detents: 2 }]);
    expect(parseCommand('press')).toEqual(['input.send', { kind: 'press' }]);
    expect(parseCommand('back')).toEqual(['input.send', { kind: 'button', button: 'BACK' }]);
    expect(parseCommand('tap 300 200')).toEqual(['input.tap', { x: 300, y: 200 }]);
    expect(parseCommand('type hello world')).toEqual(['input.send', { kind: 'type', text: 'hello world' }]);
    expect(parseCommand('screen')).toEqual(['screen.read', {}]);
    expect(parseCommand('screenshot out.png')).toEqual(['screenshot.take', {}]);
    expect(parseCommand('  ')).toBeNull();
    expect(parseCommand('quit')).toBe('quit');
    expect(parseCommand('fly')).toEqual({ message: 'unknown command "fly": type "help"' });
  });
});

describe('the catalogs', () => {
  it('have the same keys and no empty text', () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
    for (const catalog of [en, ja]) for (const text of Object.values(catalog)) expect(text.trim()).not.toBe('');
  });

  it('use the guide wording for the menu items', () => {
    expect([translate('en', 'menu.bmwId'), translate('en', 'menu.mobileDevices')]).toEqual(['BMW ID', 'Mobile devices']);
    expect([translate('ja', 'menu.bmwId'), translate('ja', 'menu.mobileDevices'), translate('ja', 'bmwId.add')]).toEqual([
      'BMW ID',
      '携帯機器',
      'BMW IDの追加',
    ]);
  });

  it('follow the system locale', () => {
    expect(['ja_JP.UTF-8', 'ja', 'en_US.UTF-8', 'C', undefined].map(languageFromLocale)).toEqual(['ja', 'ja', 'en', 'en', 'en']);
  });
});

describe('the console, as a script feeds it', () => {
  it('runs piped lines one after another, finishes them before quitting, and never crashes on a bad one', async () => {
    const { PassThrough } = await import('node:stream');
    const { runConsole } = await import('../../main/automation/console');
    const order: string[] = [];
    // A dispatch whose answers take more turns of the loop for earlier lines: run concurrently,
    // they would finish out of order.
    let turns = 6;
    const dispatch = async (channel: unknown, payload: unknown): Promise<Outcome> => {
      order.push(`start ${String(channel)}`);
      turns = Math.max(0, turns - 2);
      for (let k = 0; k < turns; k++) await new Promise((resolve) => setImmediate(resolve));
      order.push(`end ${String(channel)}`);
      if (channel === 'screenshot.take') return { ok: true, result: { png: '' } };
      return { ok: true, result: channel === 'input.send' ? { accepted: true } : { payload } };
    };
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString()));
    let quit = false;
    const done = runConsole(dispatch, input, output, () => (quit = true));
    input.end('rotate +2\nrotate 99\nscreen\nscreenshot /no/such/folder/x.png\ntap a b\npress\n');
    await done;
    expect(quit).toBe(true);
    expect(order).toEqual([
      'start input.send',
      'end input.send',
      'start screen.read',
      'end screen.read',
      'start screenshot.take',
      'end screenshot.take',
      'start input.send',
      'end input.send',
    ]);
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('console ready: type "help" for commands');
    expect(lines[1]).toBe('ok');
    expect(lines[2]).toBe('rotate takes a whole number of detents from -24 to +24, not 0 (e.g. rotate +2), not "99"');
    expect(text).toContain('error: cannot save /no/such/folder/x.png (ENOENT): does its folder exist?');
    expect(text).toContain('tap takes two numbers, x and y in display pixels (e.g. tap 300 200)');
    expect(lines.at(-1)).toBe('ok');
  });
});
