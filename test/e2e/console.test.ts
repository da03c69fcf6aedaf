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

describe('the console attached to a running car (npm run console -- <address>)', () => {
  it('changes the world, lists the faults waiting, and reads the timeline, as the console on stdin does', async () => {
    const { spawn } = await import('node:child_process');
    const script = [
      'modem signal 1',
      'fault esim load errorReason 10 after 2',
      'fault esim prepareDownload gone',
      'world',
      'fault clear',
      'phone 5C:F9:38:A1:B2:C3 range out',
      'timeline',
      'fault esim load sideways',
      'quit',
      '',
    ].join('\n');
    const attached = spawn(process.execPath, ['dist/main/console.js', headUnit.url], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    attached.stdout.on('data', (d: Buffer) => (output += d.toString()));
    attached.stdin.end(script);
    const code = await new Promise((resolve) => attached.once('exit', resolve));
    expect(code).toBe(0);
    // (the world as `world` printed it, between the fault commands)
    expect(output).toContain('"faults": [');
    expect(output).toMatch(/"step": "load",\s+"kind": "errorReason",\s+"reason": 10,\s+"afterSegments": 2/);
    expect(output).toMatch(/"step": "prepareDownload",\s+"kind": "gone"/);
    expect(output).toMatch(/fault esim <authenticateServer\|prepareDownload\|load>/); // the mistake, explained
    const world = await headUnit.car.world();
    expect(world.modem?.faults).toEqual([]);
    expect(world.phones?.find((p) => p.address === '5C:F9:38:A1:B2:C3')?.inRange).toBe(false);
    expect((await headUnit.car.timeline(0)).events.map((e) => e.text)).toEqual(
      expect.arrayContaining(['modem signal', 'modem downloadFault', 'modem clearFaults', 'phone 5C:F9:38:A1:B2:C3 range']),
    );
  });
});
