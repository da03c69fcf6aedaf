import {
  decodeEid, decodeNotifications, decodeProfiles, decodeResult, encodeRequest, es10cTags, hex, isdRAid, resultCodes, toHex, type Es10cRequest,
} from '../../../shared/es10/es10c';
import { ModemError, type Euicc, type EuiccProfile } from '../contract';
import type { PendingNotification } from '../../../shared/esim';

/** How the eUICC answers an APDU: its data, and the status word. */
type Transmit = (command: string) => Promise<string[]>;

/**
 * The eUICC of a real module, reached as lpac reaches it: a logical channel to the ISD-R
 * (AT+CCHO with its AID), ES10 in STORE DATA sent with AT+CGLA (answers over 256 bytes fetched
 * with GET RESPONSE after 61xx), the channel closed with AT+CCHC. ES10c is here (the EID, the
 * profiles, enable, disable, delete, nickname), and ES10b's notification list and removal; the
 * download's ES10b functions reject with `unsupported` until their codec exists.
 */
export class AtEuicc implements Euicc {
  private channel: number | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly at: Transmit) {}

  async eid(): Promise<string> {
    return decodeEid(await this.es10({ kind: 'getEid' }));
  }

  async listProfiles(): Promise<EuiccProfile[]> {
    return decodeProfiles(await this.es10({ kind: 'getProfilesInfo' }));
  }

  async enableProfile(iccid: string): Promise<void> {
    const code = decodeResult(await this.es10({ kind: 'enable', iccid, refresh: true }), es10cTags.enable);
    if (code === resultCodes.wrongState) return; // already enabled: as the contract says, nothing to do
    this.check(code, iccid);
  }

  async disableProfile(iccid: string): Promise<void> {
    const code = decodeResult(await this.es10({ kind: 'disable', iccid, refresh: true }), es10cTags.disable);
    if (code === resultCodes.wrongState) return;
    this.check(code, iccid);
  }

  async deleteProfile(iccid: string): Promise<void> {
    const code = decodeResult(await this.es10({ kind: 'delete', iccid }), es10cTags.delete);
    if (code === resultCodes.wrongState) throw new ModemError('profileEnabled', 'disable the profile before deleting it');
    this.check(code, iccid);
  }

  async setNickname(iccid: string, nickname: string): Promise<void> {
    this.check(decodeResult(await this.es10({ kind: 'setNickname', iccid, nickname: nickname.slice(0, 64) }), es10cTags.setNickname), iccid);
  }

  getEuiccChallenge = unsupported;
  getEuiccInfo1 = unsupported;
  authenticateServer = unsupported;
  prepareDownload = unsupported;
  loadBoundProfilePackage = unsupported;
  cancelSession = unsupported;
  async listNotifications(): Promise<PendingNotification[]> {
    return decodeNotifications(await this.es10({ kind: 'listNotifications' }));
  }

  /** Forgets a notification; an unknown number is no error (a retry after a lost answer), as the contract says. */
  async removeNotification(seqNumber: number): Promise<void> {
    const code = decodeResult(await this.es10({ kind: 'removeNotification', seqNumber }), es10cTags.removeNotification);
    if (code !== resultCodes.ok && code !== resultCodes.notFound) throw new ModemError('interrupted', `the eUICC answered ${code}`);
  }
  memory = unsupported;

  /** The channel is forgotten (the module was reset or unplugged): the next function opens a new one. */
  reset(): void {
    this.channel = null;
  }

  private check(code: number, iccid: string): void {
    if (code === resultCodes.ok) return;
    if (code === resultCodes.notFound) throw new ModemError('noSuchProfile', `no profile ${iccid}`);
    throw new ModemError('interrupted', `the eUICC answered ${code}`);
  }

  /** One ES10 function on the ISD-R channel, one at a time (STORE DATA blocks must not interleave). */
  private es10(request: Es10cRequest): Promise<Uint8Array> {
    const run = async () => {
      const channel = this.channel ?? (this.channel = await this.open());
      const data = encodeRequest(request);
      const blocks = Math.max(1, Math.ceil(data.length / 255));
      let answer = '';
      for (let block = 0; block < blocks; block++) {
        const part = data.subarray(block * 255, (block + 1) * 255);
        const last = block === blocks - 1;
        answer = await this.apdu(channel, [0x80 | channel, 0xe2, last ? 0x91 : 0x11, block, part.length, ...part]);
        if (!last && answer !== '9000') throw new ModemError('interrupted', `the eUICC refused a block (${answer})`);
      }
      let body = '';
      for (;;) {
        const sw = answer.slice(-4);
        body += answer.slice(0, -4);
        if (sw === '9000') return hex(body);
        if (!sw.startsWith('61')) throw new ModemError('interrupted', `the eUICC answered ${sw}`);
        answer = await this.apdu(channel, [0x80 | channel, 0xc0, 0, 0, Number.parseInt(sw.slice(2), 16)]);
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async open(): Promise<number> {
    const [line] = await this.at(`AT+CCHO="${isdRAid}"`);
    const channel = /^\+CCHO:\s*(\d+)$/.exec(line ?? '');
    if (!channel) throw new ModemError('interrupted', 'the module opened no channel to the eUICC');
    return Number(channel[1]);
  }

  private async apdu(channel: number, bytes: number[]): Promise<string> {
    const command = toHex(new Uint8Array(bytes));
    const [line] = await this.at(`AT+CGLA=${channel},${command.length},"${command}"`);
    const answer = /^\+CGLA:\s*\d+,"?([0-9A-Fa-f]+)"?$/.exec(line ?? '');
    if (!answer || answer[1]!.length < 4) throw new ModemError('interrupted', 'the module gave no answer from the eUICC');
    return answer[1]!.toUpperCase();
  }
}

async function unsupported(): Promise<never> {
  throw new ModemError('unsupported', "the AT backend does not speak the download's ES10b yet");
}
