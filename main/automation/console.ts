import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Dispatch } from '../hosts/dispatch';
import { maxDetents } from '../../shared/controller';
import { presetIds } from '../../shared/presets';
import { Es9Fault, es9Functions } from '../../shared/rsp/es9Fault';
import { fromJsonLines, toJsonLines } from '../../shared/jsonLines';

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
  restart                the car switched off and on: it starts again from what it keeps
  reset                  factory-reset the car into the current scenario
  reset world            factory-reset the car and its world (accounts, lines, orders as new)
  preset <id>            put the car at a step of STEP 2: guest, pinOffer, esimSettingUp,
                         telephonyOffer, pairing, connected
The world (simulated module and phones):
  world                  print the world's state (registration, faults waiting, calls, phones)
  modem signal <0-4>     the cellular signal where the car is
  modem network <home|roaming|denied>   the network there: home, a partner's abroad, or refusing
  modem reset            the module resets
  modem unplug | modem plugin   the module unplugged (nothing answers), or plugged back in
  modem ring <number>    One Number rings the car
  modem answer | modem hangup   the other party of the newest call answers or hangs up
  fault esim <step> <reset|gone> [after <n>]    break the next download at authenticateServer,
                         prepareDownload or load (after n segments)
  fault esim load errorReason <1-127> [after <n>]  the card refuses a segment with that errorReason
                         (add "every": every download until "fault clear", not the next only)
  fault clear            drop the faults waiting
  fault smdp none | slow <s> | error <function> <subject> <reason> [every]
                         the SM-DP+ as it should, slow, or failing an ES9+ function with SGP.22's codes
  phone <address> range <in|out> | walkaway <seconds> | signal <dBm> | pair | accept | decline
                         | forget | share <on|off> | ring <number>
  cloud                  print the cloud's BMW IDs and their NTT DOCOMO lines
  cloud line <e-mail> <number> <network PIN> <d ACCOUNT ID> <d password>
                         give a BMW ID a new line (e.g. one made with "Register now")
  cloud noline <e-mail>  take a BMW ID's line away
  cloud set <e-mail> [subscribed=on|off] [multidevice=on|off] [associated=on|off]
                         how far STEP 1 got for the line
  cloud rewind <e-mail>  STEP 1 as never done for the line (its logins kept)
  cloud sms <e-mail>     the text messages the line's phone got (security codes)
  cloud outage <none|unreachable|error|slow [seconds]>   the cloud as the car meets it
  cloud phone <wifi|cellular>   how the bench's phone reaches the carrier's site in STEP 1
                         (cellular: the network PIN login); "cloud phone" alone reads it
  cloud qr <seconds>     the QR code's lifetime (codes issued from now on, 1 to 3600)
  cloud orders           the SM-DP+'s orders, newest first
  cloud order [ppk]      an order any LPA can download (lpac, a phone): prints its activation code
  cloud expire <MatchingID>   an order past its time (a download with it is refused as expired)
  outside <°C>           the outside temperature the car's sensor reads (the status bar shows it)
  pace <0-10>            how fast the simulated module and phones work (1 real, 0 at once)
  timeline [after <seq>] print the timeline (after an event's seq)
  timeline export <file.jsonl>   save the timeline as JSON lines
  replay <file.jsonl> [from <checkpoint> | asis] [entry.email=… entry.password=… networkPin=…]
                         make a saved timeline happen again, from the car and world as new (or a
                         checkpoint, or as they are), with what was typed into secret fields
Checkpoints of the whole bench (car memory, eUICC, phones, cloud world):
  checkpoint save <name>      save the bench as it is now (replaces one of that name)
  checkpoint restore <name>   put the bench back to it: the car restarts on it
  checkpoints                 list them, newest first
  help | quit`;

type Request = [channel: string, payload: unknown];

/** One console line as an automation request, or a message for the user. */
export function parseCommand(line: string): Request | { message: string } | 'quit' | null {
  const [word = '', ...args] = line.trim().split(/\s+/);
  const rest = line.trim().slice(word.length).trim();
  const input = (payload: unknown): Request => ['input.send', payload];
  switch (word.toLowerCase()) {
    case '':
      return null;
    case 'help':
      return { message: consoleHelp };
    case 'quit':
    case 'exit':
      return 'quit';
    case 'rotate': {
      const detents = Number(args[0] ?? '1');
      if (!Number.isInteger(detents) || detents === 0 || Math.abs(detents) > maxDetents) {
        return { message: `rotate takes a whole number of detents from -${maxDetents} to +${maxDetents}, not 0 (e.g. rotate +2), not "${args[0]}"` };
      }
      return input({ kind: 'rotate', detents });
    }
    case 'up':
    case 'down':
    case 'left':
    case 'right':
      return input({ kind: 'tilt', direction: word.toLowerCase() });
    case 'press':
      return input({ kind: 'press' });
    case 'back':
    case 'menu':
    case 'option':
    case 'tel':
    case 'nav':
    case 'media':
      return input({ kind: 'button', button: word.toUpperCase() });
    case 'touch':
      return rest ? input({ kind: 'touch', itemId: rest }) : { message: 'touch takes an item id (see "screen"), e.g. touch settings' };
    case 'type':
      return rest ? input({ kind: 'type', text: rest }) : { message: 'type takes the text to type, e.g. type hello' };
    case 'tap': {
      const [x, y] = [Number(args[0]), Number(args[1])];
      if (args.length !== 2 || !Number.isFinite(x) || !Number.isFinite(y))
        return { message: 'tap takes two numbers, x and y in display pixels (e.g. tap 300 200)' };
      return ['input.tap', { x, y }];
    }
    case 'screen':
      return ['screen.read', {}];
    case 'wait':
      return rest ? ['wait.screen', { screen: rest }] : { message: 'wait takes a screen id, e.g. wait settings' };
    case 'restart':
      return args.length === 0 ? ['car.restart', {}] : { message: 'usage: restart (the car switched off and on)' };
    case 'reset':
      if (args[0] === 'world') return ['world.reset', {}];
      return args.length === 0 ? ['car.reset', {}] : { message: 'usage: reset (the car) | reset world (the car and its world)' };
    case 'preset':
      return args.length === 1 && (presetIds as readonly string[]).includes(args[0]!)
        ? ['preset.apply', { preset: args[0] }]
        : { message: `preset takes one of ${presetIds.join(', ')}` };
    case 'world':
      return ['world.read', {}];
    case 'outside': {
      const celsius = numberIn(args[0], -50, 60);
      return args.length === 1 && celsius !== null
        ? ['world.outside', { temperatureC: celsius }]
        : { message: 'usage: outside <°C, -50 to 60> (the outside temperature the car reads)' };
    }
    case 'pace': {
      const pace = numberIn(args[0], 0, 10);
      return args.length === 1 && pace !== null
        ? ['world.pace', { pace }]
        : { message: 'usage: pace <0 to 10> (1 about real hardware, 0 at once, 2 twice as slow)' };
    }
    case 'modem':
      return modemCommand(args);
    case 'fault':
      return faultCommand(args);
    case 'phone':
      return phoneCommand(args);
    case 'cloud':
      return cloudCommand(args);
    case 'timeline': {
      if (args[0] === 'export')
        return args.length === 2 ? ['timeline.read', { after: 0, [localFile]: args[1] }] : { message: 'usage: timeline export <file.jsonl>' };
      const after = args[0] === 'after' ? Number(args[1]) : 0;
      return Number.isInteger(after) && after >= 0
        ? ['timeline.read', { after }]
        : { message: 'timeline takes "after <seq>", a whole number (e.g. timeline after 120), or "export <file.jsonl>"' };
    }
    case 'replay':
      return replayCommand(args);
    case 'checkpoints':
      return ['checkpoint.list', {}];
    case 'checkpoint': {
      const [what, name, ...extra] = args;
      if ((what === 'save' || what === 'restore') && name && extra.length === 0) return [`checkpoint.${what}`, { name }];
      if (what === 'list' && !name) return ['checkpoint.list', {}];
      return { message: 'usage: checkpoint save <name> | checkpoint restore <name> | checkpoints (e.g. checkpoint save pin-offer)' };
    }
    case 'screenshot':
      return rest ? ['screenshot.take', {}] : { message: 'usage: screenshot <file.png>' };
    default:
      return { message: `unknown command "${word}": type "help"` };
  }
}

/** A command's number if it is one between `min` and `max` (a whole one where `whole`), else null. */
function numberIn(text: string | undefined, min: number, max: number, whole = false): number | null {
  const n = text === undefined || text.trim() === '' ? NaN : Number(text);
  return Number.isFinite(n) && n >= min && n <= max && (!whole || Number.isInteger(n)) ? n : null;
}

/** Where a command's file is on this machine (read or written here, not sent to the car). */
const localFile = Symbol('file');

/** `replay <file.jsonl> [from <checkpoint> | asis] [<field>=<secret> …]`: a timeline made to happen again. */
function replayCommand([file, ...rest]: string[]): Request | { message: string } {
  const usage = { message: 'usage: replay <file.jsonl> [from <checkpoint> | asis] [entry.email=… entry.password=… …] (the car and world as new unless said)' };
  if (!file) return usage;
  let from: unknown = 'reset';
  const secrets: Record<string, string[]> = {};
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (word === 'asis') from = 'asIs';
    else if (word === 'from' && rest[i + 1]) from = { checkpoint: rest[++i] };
    else if (word.indexOf('=') > 0) (secrets[word.slice(0, word.indexOf('='))] ??= []).push(word.slice(word.indexOf('=') + 1));
    else return usage;
  }
  return ['timeline.replay', { [localFile]: file, from, secrets }];
}

function cloudCommand([what = '', email = '', ...rest]: string[]): Request | { message: string } {
  if (what === '') return ['world.cloud', { action: 'accounts' }];
  if (what === 'noline' && email) return ['world.cloud', { action: 'removeLine', email }];
  if (what === 'rewind' && email && rest.length === 0) return ['world.cloud', { action: 'rewindStep1', email }];
  if (what === 'sms' && email && rest.length === 0) return ['world.cloud', { action: 'sms', email }];
  if (what === 'orders' && !email) return ['world.cloud', { action: 'orders' }];
  // (here `email` is how the order's profile is protected, or the order to expire)
  if (what === 'order' && rest.length === 0 && ['', 'session', 'ppk'].includes(email))
    return ['world.cloud', { action: 'makeOrder', ...(email ? { protection: email } : {}) }];
  if (what === 'expire' && email && rest.length === 0) return ['world.cloud', { action: 'expireOrder', matchingId: email }];
  // (here `email` is the phone's connection, or the QR code's seconds)
  if (what === 'phone' && rest.length === 0 && ['', 'wifi', 'cellular'].includes(email))
    return ['world.cloud', { action: 'behaviour', ...(email ? { phoneOn: email } : {}) }];
  if (what === 'qr' && rest.length === 0) {
    const seconds = numberIn(email, 1, 3600, true);
    return seconds !== null
      ? ['world.cloud', { action: 'behaviour', deviceCodeLifetimeSeconds: seconds }]
      : { message: "usage: cloud qr <seconds, 1 to 3600> (the QR code's lifetime)" };
  }
  if (what === 'outage') {
    // (here `email` is the mode, and the rest the seconds of a slow cloud)
    const seconds = rest[0] === undefined ? undefined : Number(rest[0]);
    if (email === 'slow' && (seconds === undefined || (Number.isFinite(seconds) && seconds >= 0.1 && seconds <= 120)))
      return ['world.cloud', { action: 'outage', mode: 'slow', ...(seconds === undefined ? {} : { delaySeconds: seconds }) }];
    if (['none', 'unreachable', 'error'].includes(email) && rest.length === 0) return ['world.cloud', { action: 'outage', mode: email }];
    return { message: 'usage: cloud outage none | unreachable | error | slow [seconds, 0.1 to 120]' };
  }
  if (what === 'set' && email && rest.length > 0) {
    const fields: Record<string, boolean> = {};
    const names: Record<string, string> = { subscribed: 'subscribed', multidevice: 'multiDevice', associated: 'associated' };
    for (const pair of rest) {
      const [key = '', value] = pair.toLowerCase().split('=');
      if (!names[key] || (value !== 'on' && value !== 'off'))
        return { message: `cloud set takes subscribed=on|off, multidevice=on|off, associated=on|off (not "${pair}")` };
      fields[names[key]] = value === 'on';
    }
    return ['world.cloud', { action: 'setLine', email, ...fields }];
  }
  const [msisdn, networkPin, dAccount, dPassword] = rest;
  if (what === 'line' && email && msisdn && networkPin && dAccount && dPassword && rest.length === 4) {
    return ['world.cloud', { action: 'giveLine', email, msisdn, networkPin, dAccount, dPassword }];
  }
  return {
    message:
      'usage: cloud | cloud line <e-mail> <number> <network PIN> <d ACCOUNT ID> <d password> | cloud noline <e-mail> | cloud set <e-mail> subscribed=on|off … | cloud rewind <e-mail> | cloud sms <e-mail> | cloud outage … | cloud phone wifi|cellular | cloud qr <seconds> | cloud orders | cloud order [ppk] | cloud expire <MatchingID> (e.g. cloud line new@example.com +819011112222 1234 new.docomo docomo-demo-9)',
  };
}

function modemCommand([what = '', value]: string[]): Request | { message: string } {
  const modem = (payload: unknown): Request => ['world.modem', payload];
  switch (what) {
    case 'signal': {
      const signal = numberIn(value, 0, 4, true);
      return signal !== null ? modem({ action: 'signal', signal }) : { message: 'modem signal takes 0 to 4 bars (e.g. modem signal 0)' };
    }
    case 'reset':
      return modem({ action: 'reset' });
    case 'unplug':
      return modem({ action: 'unplug' });
    case 'plugin':
      return modem({ action: 'plugIn' });
    case 'network':
      return value === 'home' || value === 'roaming' || value === 'denied'
        ? modem({ action: 'network', network: value })
        : { message: 'modem network takes home, roaming or denied' };
    case 'ring':
      return value ? modem({ action: 'ring', number: value }) : { message: "modem ring takes the caller's number, e.g. modem ring +819012345678" };
    case 'answer':
      return modem({ action: 'remoteAnswer' });
    case 'hangup':
      return modem({ action: 'remoteHangUp' });
    default:
      return { message: 'modem takes signal <0-4>, network <home|roaming|denied>, reset, unplug, plugin, ring <number>, answer or hangup' };
  }
}

function faultCommand(args: string[]): Request | { message: string } {
  if (args[0] === 'clear') return ['world.modem', { action: 'clearFaults' }];
  if (args[0] === 'smdp') return smdpFaultCommand(args.slice(1));
  const [target, step = '', kind = '', ...given] = args;
  // (`every` anywhere after the kind: every download until cleared, not the next one only)
  const every = given.includes('every');
  const rest = given.filter((word) => word !== 'every');
  const afterAt = rest.indexOf('after');
  const afterSegments = afterAt >= 0 ? Number(rest[afterAt + 1]) : 0;
  const usage = {
    message:
      'fault esim <authenticateServer|prepareDownload|load> <reset|gone> [after <n>] [every], fault esim load errorReason <1-127> [after <n>] [every], or fault clear',
  };
  if (target !== 'esim' || !['authenticateServer', 'prepareDownload', 'load'].includes(step) || !Number.isInteger(afterSegments) || afterSegments < 0)
    return usage;
  if (kind === 'errorReason') {
    const reason = Number(rest[0]);
    return step === 'load' && Number.isInteger(reason) && reason >= 1 && reason <= 127
      ? ['world.modem', { action: 'downloadFault', step, kind, reason, afterSegments, ...(every ? { every } : {}) }]
      : usage;
  }
  return kind === 'reset' || kind === 'gone' ? ['world.modem', { action: 'downloadFault', step, kind, afterSegments, ...(every ? { every } : {}) }] : usage;
}

/** `fault smdp none | slow <s> | error <function> <subject> <reason> [every]`: the SM-DP+ as the car meets it. */
function smdpFaultCommand([mode = '', ...rest]: string[]): Request | { message: string } {
  const usage = {
    message: `usage: fault smdp none | slow <seconds> | error <${es9Functions.join('|')}> <subject code> <reason code> [every] (e.g. fault smdp error authenticateClient 8.8.5 4.1)`,
  };
  const fault =
    mode === 'none'
      ? { mode }
      : mode === 'slow'
        ? { mode, delaySeconds: Number(rest[0]) }
        : mode === 'error'
          ? { mode, function: rest[0], subjectCode: rest[1], reasonCode: rest[2], every: rest[3] === 'every' }
          : null;
  const parsed = Es9Fault.safeParse(fault);
  return parsed.success && rest.length <= 4 ? ['world.cloud', { action: 'smdpFault', fault: parsed.data }] : usage;
}

function phoneCommand([address = '', what = '', value]: string[]): Request | { message: string } {
  const phone = (payload: Record<string, unknown>): Request => ['world.bluetooth', { address, ...payload }];
  switch (what) {
    case 'range':
      return value === 'in' || value === 'out' ? phone({ action: 'range', inRange: value === 'in' }) : { message: 'phone <address> range takes in or out' };
    case 'pair':
      return phone({ action: 'startPairing' });
    case 'accept':
    case 'decline':
      return phone({ action: 'answer', accept: what === 'accept' });
    case 'forget':
      return phone({ action: 'forget' });
    case 'share':
      return value === 'on' || value === 'off'
        ? phone({ action: 'contactSharing', allowed: value === 'on' })
        : { message: 'phone <address> share takes on or off' };
    case 'ring':
      return value ? phone({ action: 'ring', number: value }) : { message: "phone <address> ring takes the caller's number" };
    case 'walkaway': {
      const seconds = numberIn(value, 0, 600);
      return seconds !== null
        ? phone({ action: 'walkAway', afterSeconds: seconds })
        : { message: 'phone <address> walkaway takes the seconds until the owner walks away (0 to 600)' };
    }
    case 'signal': {
      const rssi = numberIn(value, -100, -20, true);
      return rssi !== null
        ? phone({ action: 'signal', rssi })
        : { message: 'phone <address> signal takes the RSSI in dBm, -100 to -20 (e.g. phone <address> signal -80)' };
    }
    case '':
    case 'screen':
      return phone({ action: 'phone' });
    default:
      return {
        message:
          'phone <address> takes range <in|out>, walkaway <seconds>, signal <dBm>, pair, accept, decline, forget, share <on|off>, ring <number> (or nothing: its screen)',
      };
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

async function run(dispatch: Dispatch, [channel, request]: Request, line: string): Promise<string> {
  const file = (request as { [localFile]?: string })[localFile];
  let payload = request;
  if (file !== undefined && channel === 'timeline.replay') {
    try {
      payload = { ...(request as object), events: fromJsonLines(await readFile(file, 'utf8')) };
    } catch (error) {
      return `error: cannot read ${file} as JSON lines of a timeline (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    }
  }
  const reply = await dispatch(channel, payload);
  if (!reply.ok) return `error: ${reply.error}`;
  if (file !== undefined && channel === 'timeline.read') {
    // (read in pages, after the last event read, until none is left)
    const events: { seq: number }[] = [];
    for (let page = (reply.result as { events: { seq: number }[] }).events; page.length > 0;) {
      events.push(...page);
      const next = await dispatch('timeline.read', { after: page.at(-1)!.seq });
      page = next.ok ? (next.result as { events: { seq: number }[] }).events : [];
    }
    try {
      await writeFile(file, toJsonLines(events));
    } catch (error) {
      return `error: cannot save ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    }
    return `saved ${events.length} events to ${file}`;
  }
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
