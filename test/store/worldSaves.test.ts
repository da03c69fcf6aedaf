import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { bootCore } from '../../main/boot';
import { parseOptions } from '../../main/options';
import { AreaFile } from '../../main/store/areaFile';
import { StoreProblems, StoreWriteError, type StoreProblem } from '../../main/store/problems';
import { SiteClient } from '../support/siteClient';
import { useTempDirs } from '../support/tempDir';

/**
 * The cloud's world is saved whatever a form took in: a value that would not fit the world's file
 * is refused at the form, and a save that fails its check is told like any failed write.
 */
const tempDir = useTempDirs();

async function boot(dir: string) {
  const options = parseOptions(['--data-dir', dir, '--cloud-port', '0', '--lang', 'en', '--log-level', 'silent'], {});
  if (options === 'help') throw new Error('unexpected');
  return bootCore(options);
}

describe('the BMW portal’s phone numbers and the saved world', () => {
  it('refuses a number that only grows past the limit once normalised, and the world goes on being saved', async () => {
    const dir = await tempDir();
    const booted = await boot(dir);
    try {
      const portal = new SiteClient(booted.cloud!.url);
      await portal.get('/portal/');
      await portal.post('/portal/login', { email: 'ichiro@example.com', password: 'onenumber-start' });
      await portal.get('/portal/numbers?add=1');
      // (16 characters typed; NFKC makes each ligature 18 characters long)
      await portal.post('/portal/numbers', { number: '090-1234-5678 ﷺﷺ', type: 'mobile' });
      expect(portal.page).toContain('電話番号は数字とハイフンで入力してください');
      await portal.post('/portal/numbers', { number: '０９０-１２３４-５６７８', type: 'mobile' });
      expect(portal.status).toBe(200);
      expect(portal.page).toContain('090-1234-5678');
    } finally {
      await booted.stop();
    }
    const world = JSON.parse(await readFile(join(dir, 'cloud-world.json'), 'utf8')) as { data: { profileNumbers: [string, { number: string }[]][] } };
    expect(world.data.profileNumbers.flatMap(([, list]) => list.map((n) => n.number))).toEqual(['090-1234-5678']);

    const again = await boot(dir);
    try {
      const portal = new SiteClient(again.cloud!.url);
      await portal.get('/portal/');
      await portal.post('/portal/login', { email: 'ichiro@example.com', password: 'onenumber-start' });
      await portal.get('/portal/numbers');
      expect(portal.page).toContain('090-1234-5678');
    } finally {
      await again.stop();
    }
  });
});

describe('a save whose value fails the file’s check', () => {
  const Small = z.strictObject({ text: z.string().max(4) });

  it.each(['save', 'saveLatest'] as const)('%s rejects with a StoreWriteError and reports it, and a later good value is written', async (how) => {
    const dir = await tempDir();
    const told: StoreProblem[] = [];
    const problems = new StoreProblems(() => undefined);
    problems.on((problem) => told.push(problem));
    const file = new AreaFile(dir, 'small', 1, Small, problems);
    await expect(file[how]({ text: 'far too long' })).rejects.toBeInstanceOf(StoreWriteError);
    expect(told).toEqual([{ kind: 'unwritable', area: 'small', file: join(dir, 'small.json'), code: 'EINVAL' }]);
    await file[how]({ text: 'ok' });
    expect(JSON.parse(await readFile(join(dir, 'small.json'), 'utf8'))).toEqual({ version: 1, data: { text: 'ok' } });
  });
});
