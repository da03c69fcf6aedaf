import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Dispatch } from '../hosts/dispatch';

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
    case 'rotate': return input({ kind: 'rotate', detents: Number(args[0] ?? '1') });
    case 'up': case 'down': case 'left': case 'right': return input({ kind: 'tilt', direction: word.toLowerCase() });
    case 'press': return input({ kind: 'press' });
    case 'back': case 'menu': case 'option': case 'tel': case 'nav': case 'media':
      return input({ kind: 'button', button: word.toUpperCase() });
    case 'touch': return input({ kind: 'touch', itemId: rest });
    case 'type': return input({ kind: 'type', text: rest });
    case 'tap': return ['input.tap', { x: Number(args[0]), y: Number(args[1]) }];
    case 'screen': return ['screen.read', {}];
    case 'wait': return ['wait.screen', { screen: rest }];
    case 'reset': return ['car.reset', {}];
    case 'screenshot': return rest ? ['screenshot.take', {}] : { message: 'usage: screenshot <file.png>' };
    default: return { message: `unknown command "${word}": type "help"` };
  }
}

/**
 * A line console on stdin in the style of Android Auto's desktop head unit. Each line goes through
 * the same validated dispatch as the automation API, so it can do nothing a script could not.
 */
export function runConsole(dispatch: Dispatch, input: Readable, output: Writable, onQuit: () => void): void {
  const lines = createInterface({ input, terminal: false });
  const print = (text: string) => output.write(`${text}\n`);
  print('console ready: type "help" for commands');
  lines.on('line', (line) => {
    lines.pause();
    void (async () => {
      const command = parseCommand(line);
      if (command === 'quit') return onQuit();
      if (command === null) return;
      if ('message' in command) return print(command.message);
      const [channel, payload] = command;
      const reply = await dispatch(channel, payload);
      if (!reply.ok) return print(`error: ${reply.error}`);
      if (channel === 'screenshot.take') {
        const file = line.trim().slice('screenshot'.length).trim();
        await writeFile(file, Buffer.from((reply.result as { png: string }).png, 'base64'));
        return print(`saved ${file}`);
      }
      print(channel === 'input.send' ? ((reply.result as { accepted: boolean }).accepted ? 'ok' : 'ok (nothing to do here)') : JSON.stringify(reply.result, null, 2));
    })().finally(() => lines.resume());
  });
  lines.on('close', onQuit);
}
