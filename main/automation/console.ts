import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Dispatch } from '../hosts/dispatch';
import { maxDetents } from '../../shared/controller';

export const consoleHelp = `Commands (the iDrive controller and the automation API):
  rotate <±n>            turn the controller n detents (e.g. rotate +2, rotate -1)
  up | down | left | right   tilt the controller
  press                  press the controller
  back | menu | option | tel | nav | media   the hard buttons
  touch <item-id>        touch an item of the screen
  tap <x> <y>            touch the display at a point (display pixels)
  type <text>            type on the keyboard of an entry screen
  screen                 print the current screen as JSON
  wait <screen-id>       wait for a screen (10 s)
  screenshot <file.png>  save a picture of the display
  reset                  factory-reset the car into the current scenario
  help | quit`;

type Request = [channel: string, payload: unknown];

/** One console line as an automation request, or a message for the user. */
export function parseCommand(line: string): Request | { message: string } | 'quit' | null {
  const [word = '', ...args] = line.trim().split(/\s+/);
  const rest = line.trim().slice(word.length).trim();
  const input = (payload: unknown): Request => ['input.send', payload];
  switch (word.toLowerCase()) {
    case '': return null;
    case 'help': return { message: consoleHelp };
    case 'quit': case 'exit': return 'quit';
    case 'rotate': {
      const detents = Number(args[0] ?? '1');
      if (!Number.isInteger(detents) || detents === 0 || Math.abs(detents) > maxDetents) {
        return { message: `rotate takes a whole number of detents from -${maxDetents} to +${maxDetents}, not 0 (e.g. rotate +2), not "${args[0]}"` };
      }
      return input({ kind: 'rotate', detents });
    }
    case 'up': case 'down': case 'left': case 'right': return input({ kind: 'tilt', direction: word.toLowerCase() });
    case 'press': return input({ kind: 'press' });
    case 'back': case 'menu': case 'option': case 'tel': case 'nav': case 'media':
      return input({ kind: 'button', button: word.toUpperCase() });
    case 'touch': return rest ? input({ kind: 'touch', itemId: rest }) : { message: 'touch takes an item id (see "screen"), e.g. touch settings' };
    case 'type': return rest ? input({ kind: 'type', text: rest }) : { message: 'type takes the text to type, e.g. type hello' };
    case 'tap': {
      const [x, y] = [Number(args[0]), Number(args[1])];
      if (args.length !== 2 || !Number.isFinite(x) || !Number.isFinite(y)) return { message: 'tap takes two numbers, x and y in display pixels (e.g. tap 300 200)' };
      return ['input.tap', { x, y }];
    }
    case 'screen': return ['screen.read', {}];
    case 'wait': return rest ? ['wait.screen', { screen: rest }] : { message: 'wait takes a screen id, e.g. wait settings' };
    case 'reset': return ['car.reset', {}];
    case 'screenshot': return rest ? ['screenshot.take', {}] : { message: 'usage: screenshot <file.png>' };
    default: return { message: `unknown command "${word}": type "help"` };
  }
}

/**
 * A line console on stdin in the style of Android Auto's desktop head unit. Each line goes through
 * the same validated dispatch as the automation API, so it can do nothing a script could not.
 * Lines run one after another, each finished before the next starts; the end of the input quits
 * only once the last line is done, so piped scripts work. No command can take the car down: a
 * failure is printed as an error. Resolves when the console has quit.
 */
export async function runConsole(dispatch: Dispatch, input: Readable, output: Writable, onQuit: () => void): Promise<void> {
  const lines = createInterface({ input, terminal: false });
  const print = (text: string) => output.write(`${text}\n`);
  print('console ready: type "help" for commands');
  for await (const line of lines) {
    const command = parseCommand(line);
    if (command === 'quit') break;
    if (command === null) continue;
    if ('message' in command) {
      print(command.message);
      continue;
    }
    try {
      print(await run(dispatch, command, line));
    } catch (error) {
      print(`error: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  lines.close();
  onQuit();
}

async function run(dispatch: Dispatch, [channel, payload]: Request, line: string): Promise<string> {
  const reply = await dispatch(channel, payload);
  if (!reply.ok) return `error: ${reply.error}`;
  if (channel === 'screenshot.take') {
    const file = line.trim().slice('screenshot'.length).trim();
    try {
      await writeFile(file, Buffer.from((reply.result as { png: string }).png, 'base64'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return `error: cannot save ${file}${code ? ` (${code})` : ''}${code === 'ENOENT' ? ': does its folder exist?' : ''}`;
    }
    return `saved ${file}`;
  }
  if (channel === 'input.send') return (reply.result as { accepted: boolean }).accepted ? 'ok' : 'ok (nothing to do here)';
  return JSON.stringify(reply.result, null, 2);
}
