import { ModemError } from '../contract';
import { AtModem, type AtModemOptions } from './atModem';
import { AtChannel } from './channel';

export interface SerialModemOptions extends AtModemOptions {
  /** bits per second; USB modules ignore it, UART ones need theirs (default 115200) */
  baudRate?: number;
}

/**
 * A real cellular module on a serial port (`--modem at:/dev/ttyUSB2`), with `serialport`: the port
 * opened raw, its bytes fed to an AtChannel, the module set up by AtModem.open. When the port
 * closes (the module unplugged, the USB reset) the modem reports `gone`. Rejects with ModemError
 * `gone` when the port cannot be opened or the module does not answer AT.
 */
export async function openSerialModem(path: string, options: SerialModemOptions = {}): Promise<{ modem: AtModem; close(): Promise<void> }> {
  // (loaded when a module is opened: serialport's native binding is no part of a simulated start,
  // and a build that ships without it, a container's, starts all the same)
  const { SerialPort } = await import('serialport').catch((error: unknown) => {
    throw new ModemError(
      'gone',
      `this build has no serialport package (${(error as { code?: string }).code ?? 'not found'}): install it beside the app (npm install serialport) to use a real module`,
    );
  });
  const port = new SerialPort({ path, baudRate: options.baudRate ?? 115_200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(new ModemError('gone', `${path}: ${error.message}`)) : resolve())));
  const channel = new AtChannel((data) => void port.write(data));
  port.on('data', (data: Buffer) => channel.receive(data));
  let modem: AtModem | null = null;
  port.on('close', () => {
    channel.close();
    modem?.gone();
  });
  port.on('error', () => undefined); // (a write to a port going away; its close follows)
  try {
    modem = await AtModem.open(channel, options);
  } catch (error) {
    await new Promise<void>((resolve) => port.close(() => resolve()));
    throw error instanceof ModemError ? new ModemError('gone', `${path} does not answer AT commands: is it the module's AT port?`) : error;
  }
  return { modem, close: () => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())) };
}
