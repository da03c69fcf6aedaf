import { randomBytes } from 'node:crypto';
import { bindProfilePackage } from '../../cloud/smdp/bind';
import { makeProfile } from '../../shared/saip/profilePackage';
import {
  ctxParams1,
  readAuthenticateResponse,
  readEuiccSigned2,
  readPrepareDownloadResponse,
  serverSigned1,
  signatureElement,
  smdpSigned2,
} from '../../shared/es10/es10b';
import { hex } from '../../shared/es10/es10c';
import { concat, decodeTlv, derOf, encodeTlv } from '../../shared/es10/tlv';
import type { LoadResult } from '../../shared/esim';
import type { Modem } from '../../hardware/modem/contract';
import { ecdsa, loadIdentity, rspRoles, sign, subjectKeyId, toPem, type Identity } from '../../shared/rsp/pki';
import { oneTimeKey } from '../../shared/rsp/scp03t';
import { testPki } from '../../shared/rsp/testPki';
import * as x509 from '../../shared/rsp/x509';

export interface DownloadOptions {
  iccid?: string;
  /** bytes of the profile (its elements) */
  size?: number;
  /** break one rule, to see the eUICC refuse */
  tamper?: 'bppSignature' | 'otpk' | 'transaction' | 'challenge' | 'serverSignature';
  /** protect the profile elements with profile protection keys (ReplaceSessionKeys) */
  ppk?: boolean;
  onProgress?: (loaded: number, total: number) => void;
}

/**
 * The SM-DP+ side of SGP.22 for tests of the modem alone: the steps of the download driven straight
 * against a modem's eUICC with the real codec, certificates and package binding, so the eUICC's
 * checks run for real. `foreign`: its certificates come from another CI than the eUICC's.
 */
export async function testSmdp(options: { foreign?: boolean } = {}) {
  const ci = new x509.X509Certificate(testPki.ci.certificate);
  const { dpAuth, dpPb } = options.foreign ? await foreignPki() : { dpAuth: await loadIdentity(testPki.dpAuth), dpPb: await loadIdentity(testPki.dpPb) };
  return {
    /** Runs steps 1–7 of the download against a modem's eUICC; the load's result. */
    async download(modem: Modem, o: DownloadOptions = {}): Promise<LoadResult> {
      const euicc = modem.euicc;
      const challenge = await euicc.getEuiccChallenge();
      const transactionId = randomBytes(16);
      const signed1 = encodeTlv(
        serverSigned1({
          transactionId,
          euiccChallenge: o.tamper === 'challenge' ? randomBytes(16) : challenge,
          serverAddress: 'smdp.test.example',
          serverChallenge: randomBytes(16),
        }),
      );
      const signature1 = await sign(o.tamper === 'serverSignature' ? randomBytes(40) : signed1, dpAuth.privateKey);
      const authenticated = readAuthenticateResponse(
        decodeTlv(
          await euicc.authenticateServer({
            serverSigned1: decodeTlv(signed1),
            serverSignature1: signatureElement(signature1),
            euiccCiPKIdToBeUsed: { tag: 0x04, value: subjectKeyId(ci) },
            serverCertificate: decodeTlv(dpAuth.der),
            ctxParams1: ctxParams1({ matchingId: 'MATCH-1', tac: Uint8Array.of(0x35, 0x29, 0x06, 0x11) }),
          }),
        ),
      );
      if (!('ok' in authenticated)) throw new Error('refused');
      const signed2 = encodeTlv(smdpSigned2({ transactionId, ccRequiredFlag: false }));
      const signature2 = encodeTlv(signatureElement(await sign(concat([signed2, derOf(authenticated.ok.euiccSignature1)]), dpPb.privateKey)));
      const prepared = readPrepareDownloadResponse(
        decodeTlv(
          await euicc.prepareDownload({ smdpSigned2: decodeTlv(signed2), smdpSignature2: decodeTlv(signature2), smdpCertificate: decodeTlv(dpPb.der) }),
        ),
      );
      if (!('ok' in prepared)) throw new Error('refused');
      const { euiccOtpk } = readEuiccSigned2(prepared.ok.euiccSigned2);
      const iccid = o.iccid ?? `89811000${String(Math.floor(Math.random() * 1e11)).padStart(11, '0')}`;
      const bpp = await bindProfilePackage({
        transactionId: o.tamper === 'transaction' ? randomBytes(16) : transactionId,
        euiccOtpk: o.tamper === 'otpk' ? (await oneTimeKey()).publicKey : euiccOtpk,
        eid: hex(await euicc.eid()),
        metadata: { iccid, serviceProviderName: 'NTT DOCOMO', profileName: 'One Number', profileClass: 2, mccMnc: '44010' },
        profile: makeProfile({
          iccid,
          imsi: `44010${iccid.slice(-11, -1)}`,
          profileName: 'One Number',
          serviceProviderName: 'NTT DOCOMO',
          size: o.size ?? 8_000,
        }),
        dpPb,
        ...(o.ppk ? { ppk: true } : {}),
      });
      return (await euicc.loadBoundProfilePackage(o.tamper === 'bppSignature' ? withForgedSmdpSign(bpp) : bpp, o.onProgress)).result;
    },
  };
}

/** The package with another signature in its InitialiseSecureChannel (BF23's 5F37). */
function withForgedSmdpSign(bpp: Uint8Array): Uint8Array {
  const top = decodeTlv(bpp);
  const children = (top.children ?? []).map((part) =>
    part.tag === 0xbf23 ? { tag: part.tag, children: (part.children ?? []).map((c) => (c.tag === 0x5f37 ? signatureElement(randomBytes(64)) : c)) } : part,
  );
  return encodeTlv({ tag: top.tag, children });
}

/** An SM-DP+ certified by a CI of its own, which no eUICC here trusts. */
async function foreignPki(): Promise<{ dpAuth: Identity; dpPb: Identity }> {
  const keys = await crypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const ci = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=Foreign CI',
    keys,
    signingAlgorithm: ecdsa,
    extensions: [new x509.CertificatePolicyExtension([rspRoles.ci])],
  });
  const issuer = { certificate: ci, der: new Uint8Array(ci.rawData), privateKey: keys.privateKey };
  const leaf = async (role: string) => {
    const pair = await crypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: '02',
      subject: 'CN=Foreign SM-DP+',
      issuer: ci.subject,
      publicKey: pair.publicKey,
      signingKey: issuer.privateKey,
      signingAlgorithm: ecdsa,
      extensions: [new x509.CertificatePolicyExtension([role])],
    });
    return loadIdentity({
      certificate: certificate.toString('pem'),
      key: toPem('PRIVATE KEY', new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey))),
    });
  };
  return { dpAuth: await leaf(rspRoles.dpAuth), dpPb: await leaf(rspRoles.dpPb) };
}
