import { createClient } from '../../shared/client';
import { rendererContract } from '../../shared/contract';
import type { View } from '../../shared/view';
import type { Bridge } from './bridge';
import { socketTransport } from './socketTransport';

/** The web host's bridge: requests and view pushes over one WebSocket, reconnecting when it drops. */
export function webSocketBridge(url: string): Bridge {
  const viewListeners = new Set<(view: View) => void>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  const transport = socketTransport(
    url,
    (connected) => connectionListeners.forEach((l) => l(connected)),
    (push) => viewListeners.forEach((l) => l(push.view)),
  );
  const client = createClient(rendererContract, transport);

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
