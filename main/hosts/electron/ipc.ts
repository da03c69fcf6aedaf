import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { invalidRequest } from '../../../shared/contract';
import type { Dispatch } from '../dispatch';
import { appOrigin } from './channels';

/**
 * True only for our own top frame: a sub-frame, or a page from anywhere else, is refused
 * (VS Code's validatedIpcMain). The URL is parsed and its origin compared, never `startsWith`.
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  try {
    return new URL(frame.url).origin === appOrigin;
  } catch {
    return false;
  }
}

/** Registers one handler per channel; every call is checked for its sender, then dispatched (zod-validated). */
export function handleChannels(ipcMain: Pick<IpcMain, 'handle'>, channels: readonly string[], dispatch: Dispatch): void {
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!isTrustedSender(event)) return { ok: false, error: invalidRequest };
      return dispatch(channel, payload);
    });
  }
}
