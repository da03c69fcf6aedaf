import WebSocket from 'ws';
import { createClient, type Client } from '../../shared/client';
import { automationContract, type Reply, type ScreenSnapshot } from '../../shared/contract';
import type { ControllerInput, Direction, Button } from '../../shared/controller';
import type { Scenario } from '../../shared/scenario';

/**
 * The automation API's typed client, for tests, the bench and users' scripts:
 *
 *   const car = await AutomationClient.connect('http://127.0.0.1:4730/');
 *   await car.rotate(2); await car.press();
 *   const screen = await car.screen();
 *
 * A head unit started with `--automation-host` wants the token it printed: pass the printed
 * address with its `?token=…`, or `{ token }`.
 */
export class AutomationClient {
  private constructor(
    private readonly socket: WebSocket,
    readonly api: Client<typeof automationContract>,
  ) {}

  static async connect(baseUrl: string, options: { token?: string } = {}): Promise<AutomationClient> {
    const { socket, send } = await openAutomation(baseUrl, options);
    return new AutomationClient(socket, createClient(automationContract, send));
  }

  screen(): Promise<ScreenSnapshot> {
    return this.api['screen.read']({});
  }
  async input(input: ControllerInput): Promise<boolean> {
    return (await this.api['input.send'](input)).accepted;
  }
  rotate(detents: number) {
    return this.input({ kind: 'rotate', detents });
  }
  tilt(direction: Direction) {
    return this.input({ kind: 'tilt', direction });
  }
  press() {
    return this.input({ kind: 'press' });
  }
  button(button: Button) {
    return this.input({ kind: 'button', button });
  }
  touch(itemId: string) {
    return this.input({ kind: 'touch', itemId });
  }
  type(text: string) {
    return this.input({ kind: 'type', text });
  }
  async tap(x: number, y: number): Promise<string | null> {
    return (await this.api['input.tap']({ x, y })).itemId;
  }
  waitForScreen(screen: string, timeoutMs?: number) {
    return this.api['wait.screen']({ screen, ...(timeoutMs ? { timeoutMs } : {}) });
  }
  /** The screen once it has changed since revision `after` (from a `screen()` read): never misses a change made between the read and the wait. */
  waitForView(after: number, timeoutMs?: number) {
    return this.api['wait.view']({ after, ...(timeoutMs ? { timeoutMs } : {}) });
  }
  waitForEvent(event: Parameters<Client<typeof automationContract>['wait.event']>[0]['event'], timeoutMs?: number) {
    return this.api['wait.event']({ event, ...(timeoutMs ? { timeoutMs } : {}) });
  }
  async screenshot(): Promise<Buffer> {
    return Buffer.from((await this.api['screenshot.take']({})).png, 'base64');
  }
  /** The world around the car: reset the cellular module, change the signal, or break the next download. */
  modem(command: Parameters<Client<typeof automationContract>['world.modem']>[0]) {
    return this.api['world.modem'](command);
  }
  /** The phones in range: read a phone's screen, answer its pairing prompt, move it, call it. */
  phones(command: Parameters<Client<typeof automationContract>['world.bluetooth']>[0]) {
    return this.api['world.bluetooth'](command);
  }
  /** The cloud the car uses: its BMW IDs and lines; give a BMW ID a line, or take it away. */
  cloud(command: Parameters<Client<typeof automationContract>['world.cloud']>[0]) {
    return this.api['world.cloud'](command);
  }
  /** The simulated world's state (`world.read`). */
  world() {
    return this.api['world.read']({});
  }

  /** The timeline after `after` (a seq), waiting up to `timeoutMs` for a first new event. */
  timeline(after: number, timeoutMs = 0) {
    return this.api['timeline.read']({ after, timeoutMs });
  }

  reset() {
    return this.api['car.reset']({});
  }
  loadScenario(scenario: Scenario) {
    return this.api['scenario.load']({ scenario });
  }
  close(): void {
    this.socket.close();
  }
}

/**
 * The automation API's WebSocket to a running car (`baseUrl` its display's address, with `?token=`
 * or `options.token` beyond loopback): one request at a time per id, answered with its Outcome; a
 * closed socket answers what is pending with "connection closed". Rejects when the car cannot be reached.
 */
export async function openAutomation(
  baseUrl: string,
  options: { token?: string } = {},
): Promise<{ socket: WebSocket; send: (channel: string, payload: unknown) => Promise<Reply> }> {
  const token = options.token ?? new URL(baseUrl).searchParams.get('token') ?? undefined;
  const url = new URL('/automation', baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const pending = new Map<number, (reply: Reply) => void>();
  socket.on('message', (data) => {
    const reply = JSON.parse(data.toString()) as Reply;
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  socket.on('close', () => {
    for (const [id, resolve] of pending) resolve({ id, ok: false, error: 'connection closed' });
    pending.clear();
  });
  let nextId = 1;
  const send = (channel: string, payload: unknown) => {
    const id = nextId++;
    return new Promise<Reply>((resolve) => {
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, channel, payload }));
    });
  };
  return { socket, send };
}
