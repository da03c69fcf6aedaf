import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core';
import { carWithCloud, untilView, type CarWithCloud } from '../support/carWithCloud';
import { expectNoPlaceholders } from '../support/shownText';
import { useTempDirs } from '../support/tempDir';

/** What the e-mail login says to a driver who gets the password wrong, in words and numbers. */
const tempDir = useTempDirs();
let car: CarWithCloud;
afterEach(async () => car?.stop());

const entry = (core: Core) => core.view().screen as { placeholder: string; error?: string; id: string };

describe('the e-mail login', () => {
  it('names the BMW ID a password is for, and after too many wrong ones says how long to wait in seconds', async () => {
    car = await carWithCloud(await tempDir());
    const { core } = car;
    for (const id of ['bmwId', 'add', 'email']) core.input({ kind: 'touch', itemId: id });
    expect(entry(core).placeholder).toBe('E-mail address of your BMW ID');
    core.input({ kind: 'type', text: 'taro@example.com' });
    core.input({ kind: 'key', key: 'Enter' });
    expect(entry(core).placeholder).toBe('Password for taro@example.com');
    let error: string | undefined;
    for (let attempt = 1; attempt <= 6; attempt++) {
      core.input({ kind: 'type', text: `wrong-${attempt}` });
      core.input({ kind: 'key', key: 'Enter' });
      expect(core.view().screen.id).not.toBe('entry.password'); // asking the cloud
      await untilView(core, `the answer to attempt ${attempt}`, () => entry(core).id === 'entry.password');
      error = entry(core).error;
      expectNoPlaceholders(core.view());
    }
    expect(error).toMatch(/^Too many attempts for this BMW ID\. Try again in \d+ s\.$/);
  });
});
