import type { Transport } from '../../shared/client';
import type { Reply, ViewPush } from '../../shared/contract';

/**
 * Requests and replies over one WebSocket to the web host (`/bridge` or `/automation`), which
 * reconnects 500 ms after it drops: requests made meanwhile wait for it, and those in flight when
 * it dropped are answered "connection lost". `onPush` hears the host's view pushes.
 */
export function socketTransport(url: string, onConnection: (connected: boolean) => void, onPush?: (push: ViewPush) => void): Transport {
  const pending = new Map<number, (reply: Reply) => void>();
  let nextId = 1;
  let opened: Promise<WebSocket>;
  const connect = (): void => {
    const socket = new WebSocket(url);
    opened = new Promise((resolve) => socket.addEventListener('open', () => resolve(socket), { once: true }));
    socket.addEventListener('open', () => onConnection(true));
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as Reply | ViewPush;
      if ('push' in message) onPush?.(message);
      else pending.get(message.id)?.(message);
    });
    socket.addEventListener('close', () => {
      onConnection(false);
      for (const [id, resolve] of pending) resolve({ id, ok: false, error: 'connection lost' });
      pending.clear();
      setTimeout(connect, 500);
    });
  };
  connect();
  return async (channel, payload) => {
    const socket = await opened;
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, (reply) => {
        pending.delete(id);
        resolve(reply);
      });
      socket.send(JSON.stringify({ id, channel, payload }));
    });
  };
}
