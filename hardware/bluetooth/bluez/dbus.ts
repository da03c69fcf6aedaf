import dbus from 'dbus-next';

/**
 * The few D-Bus calls the BlueZ backend makes, as plain messages: no introspection (obexd and
 * mocks introspect incompletely), replies with their variants unwrapped, errors kept by name.
 */
export type Bus = dbus.MessageBus;
export type DBusMessage = dbus.Message;
export const { Message, Variant } = dbus;

/** The connection's unique name on the bus (":1.42"), known once it has said hello. */
export function uniqueName(bus: Bus): string {
  return (bus as unknown as { name: string }).name;
}

export class DBusCallError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
    this.name = 'DBusCallError';
  }
}

export async function call(
  bus: Bus,
  destination: string,
  path: string,
  iface: string,
  member: string,
  signature = '',
  body: unknown[] = [],
): Promise<unknown[]> {
  try {
    const reply = await bus.call(new Message({ destination, path, interface: iface, member, signature, body }));
    return (reply?.body ?? []).map(unwrap);
  } catch (error) {
    const named = error as { type?: string; text?: string; message?: string };
    throw new DBusCallError(named.type ?? 'org.freedesktop.DBus.Error.Failed', named.text ?? named.message ?? String(error));
  }
}

export async function setProperty(bus: Bus, destination: string, path: string, iface: string, name: string, signature: string, value: unknown): Promise<void> {
  await call(bus, destination, path, 'org.freedesktop.DBus.Properties', 'Set', 'ssv', [iface, name, new Variant(signature, value)]);
}

/** Subscribes to every signal of a service (mocks do not declare theirs, so a typed proxy would miss them). */
export async function addMatch(bus: Bus, rule: string): Promise<void> {
  await call(bus, 'org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', [rule]);
}

export async function nameOwner(bus: Bus, name: string): Promise<string | null> {
  try {
    const [owner] = await call(bus, 'org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'GetNameOwner', 's', [name]);
    return owner as string;
  } catch {
    return null;
  }
}

/** Variants to plain values, all the way down (bigints from 64-bit integers to numbers). */
export function unwrap(value: unknown): unknown {
  if (value instanceof Variant) return unwrap(value.value);
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(unwrap);
  if (value instanceof Uint8Array) return value;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
  return value;
}

export type Managed = Record<string, Record<string, Record<string, unknown>>>;

export async function managedObjects(bus: Bus, destination: string): Promise<Managed> {
  const [objects] = await call(bus, destination, '/', 'org.freedesktop.DBus.ObjectManager', 'GetManagedObjects');
  return (objects ?? {}) as Managed;
}
