import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { invalidRequest } from '../../../shared/contract';
import type { Dispatch } from '../dispatch';
import { isAppUrl } from './channels';

/**
 * True only for our own top frame: a sub-frame, or a page from anywhere else, is refused
 * (VS Code's validatedIpcMain). The URL is parsed and compared, never matched with `startsWith`.
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return Boolean(frame) && frame!.parent === null && isAppUrl(frame!.url);
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
