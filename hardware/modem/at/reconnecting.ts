import { existsSync } from 'node:fs';
import { Listeners } from '../../listeners';
import { ModemError, type Modem, type ModemEvent, type UiccTransport } from '../contract';
import { Es10Client } from '../es10Client';
import type { AtModem } from './atModem';
import { openSerialModem, type SerialModemOptions } from './serial';

/** How often the port's path is looked for while the module is away (a USB module re-enumerating takes seconds). */
export const reconnectPollMs = 1000;

/**
 * A real module that may go away and come back (`--modem at:`): a USB module that resets or is
 * unplugged takes its port with it (its port closes, or its path goes), and comes back at the same
 * path. While it is away every call
 * rejects with ModemError `gone` (as the contract says of a module that went); its path is looked
 * for every `reconnectPollMs`, and once the port answers AT again the module and its eUICC are read
 * anew and the car is told (`registration`, `profiles`), so the flows that watch them
 * resume and "Try again" works. Calls in flight when it goes reject as they do on the module itself.
 */
export class ReconnectingModem implements Modem {
  readonly uicc: UiccTransport;
  readonly euicc: Es10Client;
  private current: { modem: AtModem; close(): Promise<void>; stop: () => void } | null = null;
  private readonly listeners = new Listeners<ModemEvent>();
  private closed = false;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly path: string,
    private readonly options: SerialModemOptions,
    private readonly say: (news: string) => void,
  ) {
    const now = () => this.now();
    this.uicc = {
      openChannel: (aid) => now().uicc.openChannel(aid),
      transmit: (channel, apdu) => now().uicc.transmit(channel, apdu),
      closeChannel: (channel) => now().uicc.closeChannel(channel),
    };
    this.euicc = new Es10Client(this.uicc);
  }

  /** Opens the module on `path`; rejects as openSerialModem does when it is not there at the start. */
  static async open(path: string, options: SerialModemOptions = {}, say: (news: string) => void = () => {}): Promise<ReconnectingModem> {
    const modem = new ReconnectingModem(path, options, say);
    modem.attach(await openSerialModem(path, options));
    return modem;
  }

  power(on: boolean) {
    return this.now().power(on);
  }
  registration() {
    return this.now().registration();
  }
  setVoice(enabled: boolean) {
    return this.now().setVoice(enabled);
  }
  startData(apn: string) {
    return this.now().startData(apn);
  }
  stopData() {
    return this.now().stopData();
  }
  dataSession() {
    return this.now().dataSession();
  }
  setRoaming(allowed: boolean) {
    return this.now().setRoaming(allowed);
  }
  roaming() {
    return this.now().roaming();
  }
  dial(number: string) {
    return this.now().dial(number);
  }
  answer(callId: number) {
    return this.now().answer(callId);
  }
  hangUp(callId: number) {
    return this.now().hangUp(callId);
  }
  calls() {
    return this.now().calls();
  }

  on(listener: (event: ModemEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Whether the module is there now. */
  present(): boolean {
    return this.current !== null;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const current = this.current;
    this.current = null;
    current?.stop();
    await current?.close();
  }

  private now(): AtModem {
    if (!this.current) throw new ModemError('gone', `the module on ${this.path} is away; the car waits for it to come back`);
    return this.current.modem;
  }

  private attach(opened: { modem: AtModem; close(): Promise<void> }): void {
    const stop = opened.modem.on((event) => {
      if (event.type === 'gone') this.lost();
      else this.listeners.emit(event);
    });
    this.current = { ...opened, stop };
    this.watch();
  }

  /**
   * While the module is there, its path is looked at too: a USB module unplugged takes its device
   * node with it, and not every port says so by closing (a pseudo-terminal's hang-up does not).
   */
  private watch(): void {
    this.timer = setTimeout(() => {
      if (this.closed || !this.current) return;
      if (existsSync(this.path)) return this.watch();
      this.current.modem.gone();
    }, reconnectPollMs);
    this.timer.unref();
  }

  private lost(): void {
    if (!this.current) return;
    clearTimeout(this.timer);
    this.current.stop();
    void this.current.close().catch(() => undefined);
    this.current = null;
    this.euicc.reset();
    this.listeners.emit({ type: 'gone' });
    this.say(`modem: the module on ${this.path} went away; the car looks for it every ${reconnectPollMs / 1000} s`);
    this.schedule();
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.tryAgain(), reconnectPollMs);
    this.timer.unref();
  }

  /** The port back at its path and answering: the module's state read anew and told. */
  private async tryAgain(): Promise<void> {
    if (this.closed || this.current) return;
    if (!existsSync(this.path)) return this.schedule();
    let opened: Awaited<ReturnType<typeof openSerialModem>>;
    try {
      opened = await openSerialModem(this.path, this.options);
    } catch {
      return this.schedule();
    }
    if (this.closed) return void opened.close();
    this.attach(opened);
    this.say(`modem: the module on ${this.path} is back`);
    const modem = opened.modem;
    const registration = await modem.registration().catch(() => null);
    if (registration) this.listeners.emit({ type: 'registration', registration });
    const profiles = await this.euicc.listProfiles().catch(() => null);
    if (profiles) this.listeners.emit({ type: 'profiles', profiles });
  }
}
