import { createClient } from '../../shared/client';
import { rendererContract, type Reply, type ViewPush } from '../../shared/contract';
import type { View } from '../../shared/view';
import type { Bridge } from './bridge';

type Pending = (reply: Reply) => void;

/** The web host's bridge: requests and view pushes over one WebSocket, reconnecting when it drops. */
export function webSocketBridge(url: string): Bridge {
  const viewListeners = new Set<(view: View) => void>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let socket: WebSocket;
  let opened: Promise<WebSocket>;

  const connect = (): void => {
    socket = new WebSocket(url);
    opened = new Promise((resolve) => socket.addEventListener('open', () => resolve(socket), { once: true }));
    socket.addEventListener('open', () => connectionListeners.forEach((l) => l(true)));
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as Reply | ViewPush;
      if ('push' in message) viewListeners.forEach((l) => l(message.view));
      else pending.get(message.id)?.(message);
    });
    socket.addEventListener('close', () => {
      connectionListeners.forEach((l) => l(false));
      for (const [id, resolve] of pending) resolve({ id, ok: false, error: 'connection lost' });
      pending.clear();
      setTimeout(connect, 500);
    });
  };
  connect();

  const client = createClient(rendererContract, async (channel, payload) => {
    const ws = await opened;
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, (reply) => {
        pending.delete(id);
        resolve(reply);
      });
      ws.send(JSON.stringify({ id, channel, payload }));
    });
  });

  return {
    getView: () => client['view.get']({}),
    sendInput: (input) => client['input.send'](input),
    onView: (listener) => {
      viewListeners.add(listener);
      return () => viewListeners.delete(listener);
    },
    onConnection: (listener) => {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
}
