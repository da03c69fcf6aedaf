import { createClient, type Client } from '../../shared/client';
import { automationContract, type Reply } from '../../shared/contract';

export type Automation = Client<typeof automationContract>;

/**
 * The automation API from the console page: the same typed calls a script makes, over the web
 * host's `/automation` WebSocket (same origin, so the same loopback and token rules as the display).
 * Reconnects when the socket drops; calls made meanwhile wait for it.
 */
export function connectAutomation(onConnection: (connected: boolean) => void): Automation {
  const url = new URL('/automation', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const pending = new Map<number, (reply: Reply) => void>();
  let nextId = 1;
  let opened: Promise<WebSocket>;
  const connect = () => {
    const socket = new WebSocket(url.href);
    opened = new Promise((resolve) => socket.addEventListener('open', () => resolve(socket), { once: true }));
    socket.addEventListener('open', () => onConnection(true));
    socket.addEventListener('message', (event) => {
      const reply = JSON.parse(String(event.data)) as Reply;
      pending.get(reply.id)?.(reply);
    });
    socket.addEventListener('close', () => {
      onConnection(false);
      for (const [id, resolve] of pending) resolve({ id, ok: false, error: 'connection lost' });
      pending.clear();
      setTimeout(connect, 500);
    });
  };
  connect();
  return createClient(automationContract, async (channel, payload) => {
    const socket = await opened;
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, (reply) => {
        pending.delete(id);
        resolve(reply);
      });
      socket.send(JSON.stringify({ id, channel, payload }));
    });
  });
}
