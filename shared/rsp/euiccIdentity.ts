import { issue, loadIdentity, subjectKeyId, type Identity } from './pki';
import { testPki } from './testPki';
import * as x509 from './x509';

/**
 * Who an eUICC is (SGP.22 §4.5.2): the CIs it trusts (to check an SM-DP+'s certificates, and named
 * by their key ids in EUICCInfo1/2), its EUM's certificate, and its own CERT.EUICC with the key it
 * signs with. The EID is the certificate's subject serialNumber.
 */
export interface EuiccIdentity {
  eid: string;
  /** one or more; the first is the default for signing */
  cis: x509.X509Certificate[];
  /** CERT.EUM, DER */
  eum: Uint8Array;
  /** CERT.EUICC and its private key */
  euicc: Identity;
}

/** The EID a CERT.EUICC names: its subject's serialNumber (2.5.4.5); null when there is none of 32 digits. */
export function eidOfCertificate(certificate: x509.X509Certificate): string | null {
  const eid = certificate.subjectName.getField('2.5.4.5')[0] ?? '';
  return /^\d{32}$/.test(eid) ? eid : null;
}

/** The project's test PKI as an eUICC's identity: its CI, its EUM, and a CERT.EUICC issued for `eid` (TEST ONLY). */
export async function testEuiccIdentity(eid: string): Promise<EuiccIdentity> {
  const eum = await loadIdentity(testPki.eum);
  return { eid, cis: [new x509.X509Certificate(testPki.ci.certificate)], eum: eum.der, euicc: await issue(eum, { role: 'euicc', eid }) };
}

/** The CI among `cis` whose key id is `keyId` (an SM-DP+'s euiccCiPKIdToBeUsed), or undefined. */
export function ciByKeyId(cis: readonly x509.X509Certificate[], keyId: Uint8Array): x509.X509Certificate | undefined {
  return cis.find((ci) => {
    const id = subjectKeyId(ci);
    return id.length === keyId.length && id.every((b, i) => b === keyId[i]);
  });
}
