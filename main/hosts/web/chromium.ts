import { existsSync } from 'node:fs';

/** Chromium from the system (Debian's `chromium`), never a downloaded build. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((path): path is string => Boolean(path) && existsSync(path!)) ?? null;
}

/**
 * Flags that keep Chromium quiet on a closed bench network and fast in a container. The display
 * runs sandboxed where the system allows it: Chromium refuses its sandbox only to root (a
 * container or CI), and then alone it goes without.
 */
export function chromiumFlags(uid: number | undefined = process.getuid?.()): string[] {
  return [...(uid === 0 ? ['--no-sandbox'] : []), ...quietFlags];
}

const quietFlags = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}
