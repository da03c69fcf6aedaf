import { randomBytes } from 'node:crypto';
import { isLoopback } from '../cloud/network';
import type { Booted } from './boot';

/** A new automation token: 128 random bits, URL-safe. */
export function newAutomationToken(): string {
  return randomBytes(16).toString('base64url');
}

/** The token the display and automation API demand, when they listen beyond loopback: the one given (IDRIVE_AUTOMATION_TOKEN), or a new one. */
export function automationTokenFor(host: string, given?: string): string | undefined {
  return isLoopback(host) ? undefined : (given ?? newAutomationToken());
}

/**
 * What the start-up prints, one line each: what other machines can reach and what stays on this
 * machine, for the world the car booted with (its embedded cloud, --lan, --modem-pty,
 * --euicc-pcsc; both hosts pass the whole of it, so that neither leaves a line out). `display` is
 * the web host's address; `token` is set when it listens beyond loopback (printed when the car made
 * it; one given in IDRIVE_AUTOMATION_TOKEN is a secret its owner has).
 */
export function exposureLines(
  world: Pick<Booted, 'cloud' | 'lan' | 'modemPty' | 'euiccPcsc'>,
  parts: { display: string; token: string | undefined; tokenGiven?: boolean; cloudUrl: string | undefined },
): string[] {
  const { display, token } = parts;
  const { cloud, lan } = world;
  const lines: string[] = [];
  const shown = parts.tokenGiven ? '<IDRIVE_AUTOMATION_TOKEN>' : token;
  if (token)
    lines.push(
      `reachable from the network: display and automation API at ${display} (every request needs the token: ${display}?token=${shown}, or "Authorization: Bearer ${shown}")`,
    );
  else lines.push(`this machine only: display and automation API at ${display}`);
  if (cloud && lan) {
    lines.push(`reachable from the network: the phone pages of the QR login at ${cloud.phoneUrl}device`);
    lines.push(`reachable from the network: STEP 1 on the phone, the My BMW app at ${cloud.phoneUrl}app`);
    lines.push(`this machine only: the BMW ID cloud's car and admin endpoints at ${cloud.url}`);
  } else if (cloud) {
    lines.push(`this machine only: the BMW ID cloud at ${cloud.url} (--lan lets a real phone open its QR login pages)`);
    lines.push(`this machine only: STEP 1 on the phone, the My BMW app at ${cloud.phoneUrl}app`);
  } else {
    lines.push(`the BMW ID cloud is ${parts.cloudUrl}${lan ? ' (--lan has no effect on it: it serves its own phone pages)' : ''}`);
  }
  if (cloud)
    lines.push(
      `this machine only: the SM-DP+ (ES9+ over HTTPS, test PKI) at ${cloud.smdpAddress}; bench orders for any LPA: POST ${cloud.url}admin/smdp/orders`,
    );
  if (world.euiccPcsc)
    lines.push(
      `this machine only: the simulated eUICC as a PC/SC card for vsmartcard's vpcd at ${world.euiccPcsc} (its reader.conf: DEVICENAME ${world.euiccPcsc}; then opensc-tool -l, pcsc_scan, lpac with LPAC_APDU=pcsc)`,
    );
  if (world.modemPty)
    lines.push(
      `this machine only: the simulated module's AT port at ${world.modemPty} (27.007; for example minicom -D ${world.modemPty}, or lpac with LPAC_APDU=at LPAC_APDU_AT_DEVICE=${world.modemPty})`,
    );
  return lines;
}
