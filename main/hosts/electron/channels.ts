/** IPC channel names between the Electron main process and the preload. */
export const ipcChannels = {
  viewGet: 'view.get',
  inputSend: 'input.send',
  /** main → renderer: a new view */
  viewChanged: 'view.changed',
} as const;

/** The scheme the display is served from (not file://, so CSP and origins work as on the web). */
export const appScheme = 'app';
export const appOrigin = `${appScheme}://head-unit`;
