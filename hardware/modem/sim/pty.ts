import { exposeInProcess, loadOpenpty } from './ptyInProcess';
import { exposeWithSocat } from './ptySocat';
import type { SimModem } from './simModem';

/** How the pseudo-terminal reaches the module: held by this process, or through a socat relay. */
export type PtyRelay = 'in-process' | 'socat';

export interface ExposedPort {
  /** the pseudo-terminal anything can open as the module's serial port */
  path: string;
  /** which way it was made (in-process unless socat was asked for or the native openpty is missing) */
  relay: PtyRelay;
  close(): Promise<void>;
}

/**
 * The simulated module's AT port on a pseudo-terminal at `path` (a symlink to /dev/pts/N), as a
 * real module's port appears under /dev (`--modem-pty`): minicom, lpac's AT driver or a team's
 * script open it and talk 27.007 to the module the car is using (the module echoes, as modules
 * do, until ATE0). The pseudo-terminal is this process's own (node-pty's openpty), which spares
 * each command a relay process's two extra hops; socat relays it where node-pty's native module
 * is missing (said through `say`) or when `relay` asks for it. Rejects when neither can be made.
 */
export async function exposeOnPty(modem: SimModem, path: string, say: (problem: string) => void = () => {}, relay?: PtyRelay): Promise<ExposedPort> {
  const openpty = relay === 'socat' ? null : loadOpenpty();
  if (openpty) return exposeInProcess(modem, path, openpty, say);
  if (relay === 'in-process') throw new Error(`--modem-pty ${path}: this build has no node-pty native module (npm install node-pty)`);
  if (relay === undefined) say(`--modem-pty ${path}: this build has no node-pty native module; relaying through socat`);
  return exposeWithSocat(modem, path, say);
}
