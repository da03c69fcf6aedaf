import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Outcome } from '../../../shared/contract';
import type { ControllerInput } from '../../../shared/controller';
import type { View } from '../../../shared/view';
import { ipcChannels } from './channels';

/**
 * The preload, bundled (the sandbox allows no imports of ours). It exposes named functions only:
 * never ipcRenderer, never the event object (which carries `sender`).
 */
function unwrap<T>(outcome: Outcome): T {
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.result as T;
}

contextBridge.exposeInMainWorld('headUnit', {
  getView: async (): Promise<View> => unwrap(await ipcRenderer.invoke(ipcChannels.viewGet, {})),
  sendInput: async (input: ControllerInput): Promise<{ accepted: boolean }> => unwrap(await ipcRenderer.invoke(ipcChannels.inputSend, input)),
  onView: (listener: (view: View) => void): (() => void) => {
    const forward = (_event: IpcRendererEvent, view: View) => listener(view);
    ipcRenderer.on(ipcChannels.viewChanged, forward);
    return () => ipcRenderer.removeListener(ipcChannels.viewChanged, forward);
  },
});
