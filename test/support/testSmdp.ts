import { randomBytes, randomUUID } from 'node:crypto';
import type { BoundProfilePackage, LoadResult, ProfileMetadata } from '../../shared/esim';
import type { Modem } from '../../hardware/modem/contract';
import { newSigningKey, signJson } from '../../shared/esimSigning';

export interface DownloadOptions {
  iccid?: string;
  size?: number;
  segments?: number;
  /** break one rule, to see the eUICC refuse */
  tamper?: 'bppSignature' | 'otpk' | 'transaction' | 'challenge' | 'serverSignature';
  onProgress?: (loaded: number, total: number) => void;
}

/**
 * The SM-DP+ side of SGP.22 for tests: signs like the real one, so the eUICC's checks run for real.
 * (The cloud's SM-DP+ arrives with the Personal eSIM work; this stays a test double.)
 */
export async function testSmdp(address = 'smdp.test.example') {
  const key = await newSigningKey();
  return {
    publicPem: key.publicPem,
    metadata(iccid: string, size = 90_000): ProfileMetadata {
      return { iccid, serviceProviderName: 'NTT DOCOMO', profileName: 'One Number', profileClass: 'operational', profileOwner: { mccMnc: '44010' }, size };
    },
    /** Runs steps 1–7 of the download against a modem's eUICC. */
    async download(modem: Modem, options: DownloadOptions = {}): Promise<LoadResult> {
      const euicc = modem.euicc;
      const challenge = await euicc.getEuiccChallenge();
      await euicc.getEuiccInfo1();
      const transactionId = randomUUID();
      const serverSigned1 = {
        transactionId,
        euiccChallenge: options.tamper === 'challenge' ? randomBytes(16).toString('base64') : challenge,
        serverAddress: address,
        serverChallenge: randomBytes(16).toString('base64'),
      };
      const serverSignature1 = await signJson(options.tamper === 'serverSignature' ? { ...serverSigned1, transactionId: 'x' } : serverSigned1, key);
      await euicc.authenticateServer({ serverSigned1, serverSignature1, serverCertificate: key.publicPem, matchingId: 'MATCH-1' });
      const smdpSigned2 = { transactionId, ccRequiredFlag: false };
      const prepared = await euicc.prepareDownload({ smdpSigned2, smdpSignature2: await signJson(smdpSigned2, key) });
      const iccid = options.iccid ?? `89811000${String(Math.floor(Math.random() * 1e11)).padStart(11, '0')}`;
      const unsigned = {
        transactionId: options.tamper === 'transaction' ? randomUUID() : transactionId,
        euiccOtpk: options.tamper === 'otpk' ? randomUUID() : prepared.euiccSigned2.euiccOtpk,
        metadata: this.metadata(iccid, options.size),
        segments: Array.from({ length: options.segments ?? 4 }, (_, i) => `PE-${i}-${randomBytes(8).toString('hex')}`),
      };
      const bpp: BoundProfilePackage = { ...unsigned, signature: await signJson(options.tamper === 'bppSignature' ? { ...unsigned, segments: [] } : unsigned, key) };
      return euicc.loadBoundProfilePackage(bpp, options.onProgress);
    },
  };
}
