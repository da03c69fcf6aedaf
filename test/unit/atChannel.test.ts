import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AtChannel, AtError } from '../../hardware/modem/at/channel';

/**
 * The AT channel against what modules really send: answers split across reads at any byte,
 * unsolicited result codes between (and inside) a command's answer lines, echo on or off, and the
 * failing final result codes with their numbers.
 */
function wired(script: (command: string) => string[]) {
  const sent: string[] = [];
  // (answers go in on the next turn, as a port's data would)
  const channel: AtChannel = new AtChannel((data) => {
    sent.push(data);
    for (const chunk of script(data.replace(/\r$/, ''))) setImmediate(() => channel.receive(chunk));
  }, 1000);
  return { channel, sent };
}

/** Splits a string into pieces at the given cut points. */
function cut(text: string, at: number[]): string[] {
  const points = [...new Set(at.map((n) => n % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(text.slice(from, point));
    from = point;
  }
  pieces.push(text.slice(from));
  return pieces.filter((p) => p.length > 0);
}

const infoLine = fc
  .stringMatching(/^[A-Za-z0-9 ,."]{1,20}$/)
  .map((s) => s.trim())
  .filter((s) => s.length > 0 && !/^(OK|ERROR|RING|BUSY|NO (CARRIER|ANSWER|DIALTONE)|RDY)\b/.test(s) && s !== 'AT+COPS?');
const urc = fc.constantFrom('RING', '+CLIP: "09012345678",129', '+CEREG: 1', '+CREG: 5', '+CGEV: NW DETACH', 'NO CARRIER');

describe('the AT channel', () => {
  it('gives a command its answer lines and every URC to the listeners, however the bytes are split, echo on or off', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(infoLine, { maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(6), urc), { maxLength: 4 }),
        fc.boolean(),
        fc.array(fc.nat(400), { maxLength: 12 }),
        async (info, urcs, echo, cuts) => {
          const lines = [...(echo ? ['AT+COPS?'] : []), ...info];
          // URCs go in before, between and after the answer lines, never after the final OK
          const withUrcs = [...lines];
          for (const [at, line] of [...urcs].sort((a, b) => b[0] - a[0])) withUrcs.splice(Math.min(at, withUrcs.length), 0, line);
          const stream = `${withUrcs.map((l) => `\r\n${l}\r\n`).join('')}\r\nOK\r\n`;
          const { channel } = wired(() => cut(stream, cuts));
          const heard: string[] = [];
          channel.onUrc((line) => heard.push(line));
          await expect(channel.command('AT+COPS?')).resolves.toEqual(info);
          // in the order the module sent them (answer lines never look like these URCs)
          const urcLines = new Set<string>(urcs.map(([, line]) => line));
          expect(heard).toEqual(withUrcs.filter((line) => urcLines.has(line)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("keeps a command's own lines that look like URCs (+CEREG: answering AT+CEREG?)", async () => {
    const { channel } = wired(() => ['\r\n+CEREG: 2,1,"1A2B","01A2B3C4",7\r\n', '\r\nRING\r\n\r\nOK\r\n']);
    const urcs: string[] = [];
    channel.onUrc((line) => urcs.push(line));
    await expect(channel.command('AT+CEREG?')).resolves.toEqual(['+CEREG: 2,1,"1A2B","01A2B3C4",7']);
    expect(urcs).toEqual(['RING']);
  });

  it('fails with +CME ERROR and its number, ERROR, and NO CARRIER for a dial; then goes on', async () => {
    const answers: Record<string, string> = {
      'AT+CGLA=1,10,"80E2910006BF3E035C015A"': '\r\n+CME ERROR: 21\r\n',
      'AT+CPIN?': '\r\nERROR\r\n',
      'ATD0312345678;': '\r\nNO CARRIER\r\n',
      AT: '\r\nOK\r\n',
    };
    const { channel } = wired((command) => [answers[command] ?? '\r\nERROR\r\n']);
    const failed = async (command: string) =>
      channel.command(command).then(
        () => null,
        (e: unknown) => e as AtError,
      );
    await expect(failed('AT+CGLA=1,10,"80E2910006BF3E035C015A"')).resolves.toMatchObject({ result: '+CME ERROR: 21', cmeError: 21 });
    await expect(failed('AT+CPIN?')).resolves.toMatchObject({ result: 'ERROR', cmeError: null });
    await expect(failed('ATD0312345678;')).resolves.toMatchObject({ result: 'NO CARRIER' });
    await expect(channel.command('AT')).resolves.toEqual([]);
  });

  it('runs commands one after another, and a NO CARRIER with no dial pending is the call ending by itself', async () => {
    const { channel, sent } = wired((command) => (command === 'AT+CLCC' ? ['\r\n+CLCC: 1,0,0,0,0,"0312345678",129\r\n\r\nOK\r\n'] : ['\r\nOK\r\n']));
    const urcs: string[] = [];
    channel.onUrc((line) => urcs.push(line));
    const [a, b, c] = await Promise.all([channel.command('AT+CMEE=1'), channel.command('AT+CLCC'), channel.command('ATE0')]);
    expect([a, b, c]).toEqual([[], ['+CLCC: 1,0,0,0,0,"0312345678",129'], []]);
    expect(sent).toEqual(['AT+CMEE=1\r', 'AT+CLCC\r', 'ATE0\r']);
    channel.receive('\r\nNO CARRIER\r\n');
    expect(urcs).toEqual(['NO CARRIER']);
  });

  it('gives up on a module that does not answer in time, and the next command is answered', async () => {
    let silent = true;
    const { channel } = wired(() => (silent ? [] : ['\r\nOK\r\n']));
    await expect(channel.command('AT+CFUN=1', { timeoutMs: 20 })).rejects.toBeInstanceOf(AtError);
    silent = false;
    await expect(channel.command('AT')).resolves.toEqual([]);
  });
});
