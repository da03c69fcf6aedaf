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

/**
 * True for a URL of our display. Compares scheme and host, not `origin`: Node's URL gives the
 * origin "null" for schemes it does not know, such as app:.
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${appScheme}:` && parsed.host === 'head-unit' && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
