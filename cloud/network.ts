import { isIP, type Server, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';

/** An address as the socket gives it, IPv4-mapped IPv6 (`::ffff:10.0.0.1`) turned back into IPv4. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** True for an address in 127.0.0.0/8, ::1, or IPv4-mapped loopback (`::ffff:127.x.y.z`). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = plainAddress(address);
  return plain === '::1' || plain === 'localhost' || (isIP(plain) === 4 && plain.startsWith('127.'));
}

/** True for a listen address that means "every interface" (0.0.0.0, ::). */
export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '[::]';
}

/** This machine's first non-internal IPv4 address (a phone on the same Wi-Fi reaches it), or null. */
export function lanAddress(): string | null {
  for (const addresses of Object.values(networkInterfaces())) {
    const v4 = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (v4) return v4.address;
  }
  return null;
}

/** Every address this machine answers on, loopback included (what a wildcard listener serves). */
export function localAddresses(): string[] {
  return ['127.0.0.1', 'localhost', '::1', ...Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address))];
}

/**
 * The address to advertise for a listen address: a wildcard is never advertised (a phone cannot
 * open http://0.0.0.0/), so it becomes the LAN address, or loopback on a machine without one.
 */
export function advertisedAddress(listen: string): string {
  return isWildcard(listen) ? (lanAddress() ?? '127.0.0.1') : listen;
}

/** `http://<address>:<port>/`, with an IPv6 address in brackets. */
export function baseUrl(address: string, port: number): string {
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  return `http://${host}:${port}/`;
}

/** A port already taken is said with what wanted it and what to do, instead of a bare EADDRINUSE. */
export function portProblem(error: unknown, what: string, option: string): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE')
    return new Error(`${what} is in use (another head unit or cloud running?): choose another with ${option} <n>, or ${option} 0 for a free one`, {
      cause: error,
    });
  if (code === 'EADDRNOTAVAIL') return new Error(`${what}: this machine has no such address`, { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * At most `max` open connections per client address on `server` (a TCP, HTTP or TLS server): one
 * more is closed at once, so that no client (one address's silent sockets, say) can take the
 * connections everybody else needs; the others are served as before.
 */
export function capConnectionsPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = plainAddress(socket.remoteAddress ?? '');
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
