import { createServer, type Socket } from 'node:net';
import type { SimCard } from './card';
import type { SimModem } from './simModem';

/** The default port of vsmartcard's vpcd (0x8C7B), which its reader.conf names. */
export const vpcdPort = 35963;

/**
 * The ATR the card answers with (ISO/IEC 7816-3): direct convention; T=0 and T=1 offered (TD1,
 * TD2); historical bytes in the compact-TLV of a UICC (category 80, card service data 31 E0, card
 * capabilities 73 FE 21 1B); TCK, the XOR of T0 to the last historical byte, as T=1 requires.
 */
export const cardAtr: Uint8Array = (() => {
  const body = [0x87, 0x80, 0x01, 0x80, 0x31, 0xe0, 0x73, 0xfe, 0x21, 0x1b];
  return Uint8Array.from([0x3b, ...body, body.reduce((x, b) => x ^ b, 0)]);
})();

export interface ExposedCard {
  /** host:port the card listens on for vpcd */
  address: string;
  close(): Promise<void>;
}

/**
 * The simulated eUICC (the card the car uses) as a PC/SC card through vsmartcard's virtual reader,
 * vpcd, in its reverse mode: pcscd's vpcd connects to this listener (its reader.conf's DEVICENAME
 * names `host:port`), so nothing listens beyond `host`, which must be loopback. vpcd's framing: a
 * two-byte big-endian length, then either a one-byte control (00 power off, 01 power on, 02 reset,
 * 04 the ATR, which is answered) or a command APDU, answered with its response APDU. Every logical
 * channel a terminal opened is closed again when it powers the card off, resets it or goes, as a
 * card's channels are on a reset; the car's own channels stay.
 *
 * vpcd makes two slots, on `port` and `port + 1`, and connects to both: where the second cannot
 * connect, Debian's pcscd 1.9.9 stops, and where it finds no card it never gets ready. So both
 * slots hold the card, as two terminals at one card would (each with its own channels).
 */
export async function exposeOnVpcd(modem: SimModem, host: string, port = vpcdPort): Promise<ExposedCard> {
  if (!isLoopback(host)) throw new Error(`--euicc-pcsc ${host}: the car's eUICC is offered on loopback only (127.0.0.1 or ::1)`);
  const sockets = new Set<Socket>();
  const listen = async (at: number, card: SimCard) => {
    const server = createServer((socket) => serve(socket, card));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(new Error(`--euicc-pcsc ${host}:${at}: ${error.code ?? error.message}`, { cause: error })));
      server.listen(at, host, resolve);
    });
    return server;
  };
  const serve = (socket: Socket, card: SimCard) => {
    sockets.add(socket);
    const terminal = new Terminal(card, (frame) => socket.write(frame));
    let buffer = Buffer.alloc(0);
    let queue = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
        const message = Uint8Array.from(buffer.subarray(2, 2 + buffer.readUInt16BE(0)));
        buffer = buffer.subarray(2 + message.length);
        // (one command at a time, in order, as a reader sends them)
        queue = queue.then(() => terminal.take(message)).catch(() => void socket.destroy());
      }
    });
    socket.on('close', () => {
      sockets.delete(socket);
      void queue.then(() => terminal.powerOff());
    });
    socket.on('error', () => socket.destroy());
  };
  const first = await listen(port, modem.card);
  const { port: bound } = first.address() as { port: number };
  const second = await listen(bound + 1, modem.card).catch(async (error: unknown) => {
    await new Promise((resolve) => first.close(resolve));
    throw error;
  });
  return {
    address: `${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all([first, second].map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}

/** One reader's session with the card: its controls, its APDUs, and the logical channels it opened. */
class Terminal {
  private readonly channels = new Set<number>();

  constructor(
    private readonly card: SimCard,
    private readonly send: (frame: Buffer) => void,
  ) {}

  async take(message: Uint8Array): Promise<void> {
    if (message.length === 1) {
      if (message[0] === 0x04) this.reply(cardAtr);
      else if (message[0] === 0x00 || message[0] === 0x02) this.powerOff();
      return;
    }
    const answer = await this.card.command(message);
    this.track(message, answer);
    this.reply(answer);
  }

  /** Closes the channels this terminal opened (a power-off or reset of the card, as it sees it). */
  powerOff(): void {
    for (const channel of this.channels) this.card.closeChannel(channel);
    this.channels.clear();
  }

  /** MANAGE CHANNEL: what this terminal opened and closed. */
  private track(command: Uint8Array, answer: Uint8Array): void {
    const ok = answer.at(-2) === 0x90 && answer.at(-1) === 0x00;
    if (!ok || command[1] !== 0x70) return;
    if (command[2] === 0x00 && answer.length === 3) this.channels.add(answer[0]!);
    if (command[2] === 0x80) this.channels.delete(command[3]!);
  }

  private reply(data: Uint8Array): void {
    const frame = Buffer.alloc(2 + data.length);
    frame.writeUInt16BE(data.length, 0);
    frame.set(data, 2);
    this.send(frame);
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
