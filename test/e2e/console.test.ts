import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeadUnit, type RunningHeadUnit } from '../support/headUnit';

/** The line console on stdin, as a bench engineer types into it. */
let headUnit: RunningHeadUnit;

beforeAll(async () => {
  headUnit = await startHeadUnit(0, ['--console']);
  await readUntil((line) => line.startsWith('console ready'));
});
afterAll(async () => headUnit?.stop());

async function readUntil(done: (line: string) => boolean): Promise<string[]> {
  const lines: string[] = [];
  do lines.push(await headUnit.nextLine());
  while (!done(lines.at(-1)!));
  return lines;
}

/** Types a command and returns the console's one-line answer. */
async function command(text: string): Promise<string> {
  headUnit.process.stdin!.write(`${text}\n`);
  return headUnit.nextLine();
}

/** Types a command whose answer is JSON over several lines. */
async function json(text: string): Promise<unknown> {
  headUnit.process.stdin!.write(`${text}\n`);
  return JSON.parse((await readUntil((line) => line === '}')).join('\n'));
}

describe('the console', () => {
  it('lists its commands', async () => {
    headUnit.process.stdin!.write('help\n');
    const help = await readUntil((line) => line.includes('help | quit'));
    expect(help.join('\n')).toContain('rotate <±n>');
    expect(help.join('\n')).toContain('screenshot <file.png>');
  });

  it('drives the controller, prints the screen, and explains mistakes', async () => {
    expect(await command('rotate +4')).toBe('ok');
    expect(await command('rotate +1')).toBe('ok (nothing to do here)');
    expect(await command('press')).toBe('ok');
    expect(await json('screen')).toMatchObject({ screen: 'settings', title: 'Settings', focused: 'language' });
    expect(await command('rotate 99')).toBe('rotate takes a whole number of detents from -24 to +24, not 0 (e.g. rotate +2), not "99"');
    expect(await command('fly')).toBe('unknown command "fly": type "help"');
    expect(await command('menu')).toBe('ok');
    expect(await headUnit.car.screen()).toMatchObject({ screen: 'menu', focused: 'settings' });
  });
});
