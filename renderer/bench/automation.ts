import { createClient, type Client } from '../../shared/client';
import { automationContract } from '../../shared/contract';
import { socketTransport } from '../bridge/socketTransport';

export type Automation = Client<typeof automationContract>;

/**
 * The automation API from the console page: the same typed calls a script makes, over the web
 * host's `/automation` WebSocket (same origin, so the same loopback and token rules as the display).
 * Reconnects when the socket drops; calls made meanwhile wait for it.
 */
export function connectAutomation(onConnection: (connected: boolean) => void): Automation {
  const url = new URL('/automation', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return createClient(automationContract, socketTransport(url.href, onConnection));
}
