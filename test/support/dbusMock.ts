import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import dbus from 'dbus-next';
import { addMatch, call } from '../../hardware/bluetooth/bluez/dbus';

/**
 * A private D-Bus with python3-dbusmock playing bluetoothd (`bluez5`) and obexd (`bluez5-obex`):
 * one bus serves as both the system and the session bus. Started per suite, torn down after.
 */
export interface DBusMock {
  address: string;
  /** a connection of the test's own, for the mocks' controls */
  bus: dbus.MessageBus;
  stop(): Promise<void>;
}

export async function startDBusMock(): Promise<DBusMock> {
  const daemon = spawn('dbus-daemon', ['--session', '--nofork', '--nopidfile', '--print-address=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  // (an unprivileged daemon cannot raise its fd limit, and says so: that line is noise here)
  createInterface({ input: daemon.stderr! }).on('line', (line) => !line.includes('fd limit') && console.error(line));
  const address = await firstLine(daemon);
  const env = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: address, DBUS_SESSION_BUS_ADDRESS: address };
  const bus = dbus.sessionBus({ busAddress: address });
  const mocks: ChildProcess[] = [];
  try {
    const named = ['org.bluez', 'org.bluez.obex'].map((name) => ownedBy(bus, name));
    mocks.push(spawn('/usr/bin/python3', ['-m', 'dbusmock', '--system', '-t', 'bluez5'], { env, stdio: 'ignore' }));
    mocks.push(spawn('/usr/bin/python3', ['-m', 'dbusmock', '--session', '-t', 'bluez5-obex'], { env, stdio: 'ignore' }));
    await Promise.all(named);
  } catch (error) {
    for (const p of [...mocks, daemon]) p.kill();
    throw error;
  }
  return {
    address,
    bus,
    stop: async () => {
      bus.disconnect();
      await Promise.all(
        [...mocks, daemon].map(
          (p) =>
            new Promise<void>((resolve) => {
              if (p.exitCode !== null) return resolve();
              p.once('exit', () => resolve());
              p.kill();
            }),
        ),
      );
    },
  };
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`dbus-daemon exited (${code})`)));
  });
}

/** Resolves once `name` has an owner on the bus: by the NameOwnerChanged signal, or at once. */
async function ownedBy(bus: dbus.MessageBus, name: string): Promise<void> {
  let stop = () => {};
  const appeared = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not appear on the private bus (is python3-dbusmock installed?)`)), 15_000);
    const listener = (msg: dbus.Message) => {
      if (msg.member === 'NameOwnerChanged' && msg.body[0] === name && msg.body[2]) resolve();
    };
    stop = () => {
      clearTimeout(timer);
      bus.off('message', listener);
    };
    bus.on('message', listener);
  });
  try {
    await addMatch(bus, `type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='${name}'`);
    const [has] = await call(bus, 'org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'NameHasOwner', 's', [name]);
    if (!has) await appeared;
  } finally {
    stop();
  }
}
