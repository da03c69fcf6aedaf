import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { log, logFileOf, openLog, scrub } from '../../main/log';
import { useTempDirs } from '../support/tempDir';

/** The head unit's log: JSON lines in the data directory, rotated, with secrets and personal data masked by rule. */
const tempDir = useTempDirs();
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
  vi.restoreAllMocks();
});

describe('the log', () => {
  it('masks secrets and personal data in messages by rule, and leaves the rest alone', () => {
    expect(scrub('login of hanako@example.com failed')).toBe('login of h***@example.com failed');
    expect(scrub('call to +81 90-1234-5678 and 09012345678')).toBe('call to +•• ••-••••-••78 and •••••••••78');
    expect(scrub('Authorization: Bearer abcDEF1234567890')).toBe('Authorization: Bearer [redacted]');
    expect(scrub('password=hunter2&x=1 pin: 1234')).toBe('password=[redacted]&x=1 pin: [redacted]');
    expect(scrub('token eyJhbGciOiJIUzI1NiJ9abcDEF12345 ok')).toBe('token [redacted] ok');
    for (const plain of [
      'settings.corrupt-1764456789012.json moved aside',
      'settings: damaged, moved aside to /tmp/x/settings.corrupt-2026-12-07T05-20-11-123Z.json',
      'the cloud at http://127.0.0.1:4731/ does not answer',
      '/root/.local/share/idrive-onenumber-emulator/phones',
      'ICCID 8981100012345678901 installed',
    ]) {
      expect(scrub(plain)).toBe(plain);
    }
  });

  it('writes one JSON line per event to the data directory, with keys of secrets and personal data redacted, at the level asked', async () => {
    const dataDir = await tempDir();
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
    const opened = openLog({ dataDir, level: 'info' });
    close = opened.close;
    expect(opened.file).toBe(logFileOf(dataDir));
    log('bluetooth').debug('not written at info');
    log('bluetooth').info('paired', { address: '5C:F9:38:A1:B2:C3', pin: '123456', account: { email: 'hanako@example.com', password: 'x' } });
    log('store').warn('settings.json could not be written');
    await opened.close();
    close = undefined;
    const lines = (await readFile(opened.file, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => [l.level, l.component, l.msg])).toEqual([
      ['info', 'bluetooth', 'paired'],
      ['warn', 'store', 'settings.json could not be written'],
    ]);
    expect(lines[0]).toMatchObject({ address: '[redacted]', pin: '[redacted]', account: { email: '[redacted]', password: '[redacted]' } });
    expect(typeof lines[0]!.time).toBe('string');
    // Warnings also reach the bench's console; information does not.
    expect(stderr.mock.calls.map((c) => c[0])).toEqual(['[store] settings.json could not be written']);
  });

  it('rotates by size and keeps a bounded number of files', async () => {
    const dataDir = await tempDir();
    const opened = openLog({ dataDir, level: 'info', size: '1K', maxFiles: 3 });
    close = opened.close;
    for (let i = 0; i < 200; i++) log('test').info(`event ${i} ${'x'.repeat(40)}`);
    await opened.close();
    close = undefined;
    const files = await readdir(join(dataDir, 'logs'));
    expect(files.sort()).toEqual(['head-unit.log', 'head-unit.log.1', 'head-unit.log.2', 'head-unit.log.3']);
    // the newest lines are kept, the oldest are gone
    const kept = (await Promise.all(files.map((f) => readFile(join(dataDir, 'logs', f), 'utf8')))).join('');
    expect(kept).toContain('"msg":"event 199 ');
    expect(kept).not.toContain('"msg":"event 0 ');
  });
});
