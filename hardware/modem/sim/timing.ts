/**
 * How long the simulated module takes, in milliseconds, at scale 1: about what a real LTE module
 * does. Tests set `scale: 0`; everything still resolves asynchronously, as a real port would.
 */
export interface Timing {
  scale: number;
  command: number;
  registration: number;
  dataUp: number;
  /** one segment of profile elements ('86', about 1 KB) into the eUICC */
  segment: number;
  /** the eUICC's signature checks and signing (AuthenticateServer, PrepareDownload): slow on a card's chip */
  signing: number;
  callAlerting: number;
}

/**
 * About what a real module and eUICC take: a Personal eSIM download of about ten seconds, its
 * stages (authenticating, downloading, installing) each visible for seconds, as on a car.
 */
export const realisticTiming: Timing = { scale: 1, command: 15, registration: 1500, dataUp: 800, segment: 160, signing: 1500, callAlerting: 1200 };
export const instantTiming: Timing = { ...realisticTiming, scale: 0 };

export function wait(timing: Timing, what: Exclude<keyof Timing, 'scale'>): Promise<void> {
  const ms = timing[what] * timing.scale;
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}
