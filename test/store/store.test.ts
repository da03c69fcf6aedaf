import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { AreaFile } from '../../main/store/areaFile';
import { StoreProblems } from '../../main/store/problems';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();
const Schema = z.strictObject({ n: z.number() });

describe('an area file', () => {
  it('starts from the fallback when there is no file, and keeps what was saved', async () => {
    const dir = await tempDir();
    const area = new AreaFile(dir, 'thing', 1, Schema);
    expect(await area.load(() => ({ n: 0 }))).toEqual({ value: { n: 0 }, movedTo: null });
    await area.save({ n: 7 });
    expect(await new AreaFile(dir, 'thing', 1, Schema).load(() => ({ n: 0 }))).toEqual({ value: { n: 7 }, movedTo: null });
    expect(JSON.parse(await readFile(join(dir, 'thing.json'), 'utf8'))).toEqual({ version: 1, data: { n: 7 } });
  });

  it.each([
    ['truncated JSON', '{"version":1,"data":{"n":'],
    ['the wrong shape', '{"version":1,"data":{"n":"seven"}}'],
    ['an unknown version', '{"version":99,"data":{"n":7}}'],
    ['not an object', '"hello"'],
  ])('moves a file with %s aside and reports where', async (_what, content) => {
    const dir = await tempDir();
    await writeFile(join(dir, 'thing.json'), content);
    const loaded = await new AreaFile(dir, 'thing', 1, Schema).load(() => ({ n: 0 }));
    expect(loaded.value).toEqual({ n: 0 });
    expect(loaded.movedTo).toMatch(/thing\.corrupt-.+\.json$/);
    expect(await readFile(loaded.movedTo!, 'utf8')).toBe(content);
    expect(await readdir(dir)).not.toContain('thing.json');
  });

  it('applies queued writes in order, so the last one wins, and leaves no temporary files', async () => {
    const dir = await tempDir();
    const area = new AreaFile(dir, 'thing', 1, Schema);
    await Promise.all(Array.from({ length: 50 }, (_, n) => area.save({ n })));
    expect((await area.load(() => ({ n: -1 }))).value).toEqual({ n: 49 });
    expect(await readdir(dir)).toEqual(['thing.json']);
  });

  it('writes nothing once closed (the car stopped), after finishing what was asked before', async () => {
    const dir = await tempDir();
    const area = new AreaFile(dir, 'thing', 1, Schema);
    const before = area.save({ n: 1 });
    area.close();
    await before;
    await area.save({ n: 2 });
    await area.saveLatest({ n: 3 });
    await area.remove();
    expect(JSON.parse(await readFile(join(dir, 'thing.json'), 'utf8'))).toEqual({ version: 1, data: { n: 1 } });
    expect(await readdir(dir)).toEqual(['thing.json']);
  });

  it('refuses to write a value that does not match its schema', async () => {
    const dir = await tempDir();
    const area = new AreaFile(dir, 'thing', 1, Schema, new StoreProblems(() => undefined));
    await expect(area.save({ n: 'x' } as never)).rejects.toThrow('thing not saved (EINVAL)');
    expect(await readdir(dir)).toEqual([]);
  });
});
