import type { ControllerInput } from '../../shared/controller';
import type { View } from '../../shared/view';
import type { Bridge } from './bridge';

/** What the Electron preload exposes as `window.headUnit`: named functions, nothing generic. */
export interface PreloadApi {
  getView(): Promise<View>;
  sendInput(input: ControllerInput): Promise<{ accepted: boolean }>;
  onView(listener: (view: View) => void): () => void;
}

declare global {
  interface Window {
    headUnit?: PreloadApi;
  }
}

export function electronBridge(api: PreloadApi): Bridge {
  return {
    getView: () => api.getView(),
    sendInput: (input) => api.sendInput(input),
    onView: (listener) => api.onView(listener),
    // IPC to the main process does not drop while the window lives.
    onConnection: () => () => {},
  };
}
