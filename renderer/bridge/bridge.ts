import type { ControllerInput } from '../../shared/controller';
import type { View } from '../../shared/view';

/**
 * How the display talks to the core, whatever the host: the Electron preload or a WebSocket.
 * The display only asks for the view, sends input, and listens for new views.
 */
export interface Bridge {
  getView(): Promise<View>;
  sendInput(input: ControllerInput): Promise<{ accepted: boolean }>;
  /** every view the core publishes; returns the unsubscribe */
  onView(listener: (view: View) => void): () => void;
  /** the connection to the core was lost or came back */
  onConnection(listener: (connected: boolean) => void): () => void;
}
