import { hex, toHex } from '../../../shared/es10/es10c';
import { ModemError, type UiccTransport } from '../contract';

/** How a module answers an AT command: its information lines; rejects with ModemError (`+CME ERROR` numbered, plain ERROR without). */
export type RunAt = (command: string, timeoutMs?: number) => Promise<string[]>;

/**
 * The UICC of a real module over AT commands (3GPP TS 27.007): logical channels with +CCHO
 * (§8.45), +CGLA (§8.43) and +CCHC (§8.46), as lpac does; where a module lacks them (ERROR or
 * +CME ERROR: 4), the same through +CSIM (§8.17), MANAGE CHANNEL and SELECT sent as APDUs on the
 * basic channel. A module with neither says so: ModemError `unsupported`. APDUs travel as hex.
 * What modules do differently is taken as it comes: +CCHO's <sessionid> is the module's own name
 * for the channel (a long hex number on Sierra Wireless modules), kept as text and given back in
 * +CGLA (the module sets the channel in the CLA byte); +CCHO answered with the bare number; a
 * module without +CCHC leaves its channel open (it is reused).
 */
export class AtUicc implements UiccTransport {
  private mode: 'cgla' | 'csim' | null = null;
  /** the channels this side numbered, and the module's <sessionid> for each */
  private readonly sessions = new Map<number, string>();

  constructor(
    private readonly run: RunAt,
    private readonly apduTimeoutMs: number,
  ) {}

  async openChannel(aid: string): Promise<number> {
    if (this.mode !== 'csim') {
      try {
        const [line] = await this.run(`AT+CCHO="${aid}"`);
        const session = /^(?:\+CCHO:\s*)?"?([0-9A-Fa-f]+)"?$/.exec(line ?? '')?.[1];
        if (!session) throw new ModemError('interrupted', 'the module opened no channel to the eUICC');
        this.mode = 'cgla';
        const channel = /^[1-3]$/.test(session) ? Number(session) : this.nextChannel();
        this.sessions.set(channel, session);
        return channel;
      } catch (error) {
        if (!(error instanceof ModemError) || !lacks(error)) throw error;
      }
    }
    try {
      const opened = await this.csim(Uint8Array.from([0x00, 0x70, 0x00, 0x00, 0x01]));
      if (sw(opened) !== '9000' || opened.length !== 3) throw new ModemError('interrupted', `the card opened no channel (${sw(opened)})`);
      const channel = opened[0]!;
      const aidBytes = hex(aid);
      const selected = await this.csim(Uint8Array.from([cla(0x00, channel), 0xa4, 0x04, 0x00, aidBytes.length, ...aidBytes, 0x00]));
      if (sw(selected) !== '9000' && !sw(selected).startsWith('61')) throw new ModemError('interrupted', `the card has no such application (${sw(selected)})`);
      this.mode = 'csim';
      return channel;
    } catch (error) {
      if (error instanceof ModemError && lacks(error))
        throw new ModemError('unsupported', 'the module reaches its eUICC neither by logical channels (AT+CCHO/+CGLA) nor by AT+CSIM');
      throw error;
    }
  }

  async transmit(channel: number, apdu: Uint8Array): Promise<Uint8Array> {
    if (this.mode === 'csim') return this.csim(apdu);
    const command = toHex(apdu);
    const [line] = await this.run(`AT+CGLA=${this.sessions.get(channel) ?? channel},${command.length},"${command}"`, this.apduTimeoutMs);
    return answerOf(/^\+CGLA:\s*\d+,"?([0-9A-Fa-f]+)"?$/.exec(line ?? ''));
  }

  async closeChannel(channel: number): Promise<void> {
    if (this.mode === 'csim') {
      await this.csim(Uint8Array.from([cla(0x00, channel), 0x70, 0x80, channel, 0x00]));
      return;
    }
    const session = this.sessions.get(channel) ?? String(channel);
    this.sessions.delete(channel);
    await this.run(`AT+CCHC=${session}`).catch((error: unknown) => {
      if (!(error instanceof ModemError && lacks(error))) throw error;
    });
  }

  /** A number for a channel the module named otherwise: the lowest one not in use (1–19). */
  private nextChannel(): number {
    for (let n = 1; ; n++) if (!this.sessions.has(n)) return n;
  }

  private async csim(apdu: Uint8Array): Promise<Uint8Array> {
    const command = toHex(apdu);
    const [line] = await this.run(`AT+CSIM=${command.length},"${command}"`, this.apduTimeoutMs);
    return answerOf(/^\+CSIM:\s*\d+,"?([0-9A-Fa-f]+)"?$/.exec(line ?? ''));
  }
}

/** A module that does not know the command (plain ERROR, or +CME ERROR: 4 operation not supported). */
const lacks = (error: ModemError) => error.code === 'unsupported' || (error.code === 'interrupted' && error.cmeError === undefined);
const sw = (answer: Uint8Array) => toHex(answer.subarray(answer.length - 2));
/** The class byte for a logical channel (ETSI TS 102 221 §10.1.1: 0–3 in the low bits, 4–19 in the further interindustry coding). */
const cla = (base: number, channel: number) => (channel < 4 ? base | channel : 0x40 | (channel - 4));

function answerOf(match: RegExpExecArray | null): Uint8Array {
  if (!match || match[1]!.length < 4 || match[1]!.length % 2 !== 0) throw new ModemError('interrupted', 'the module gave no answer from the eUICC');
  return hex(match[1]!);
}
