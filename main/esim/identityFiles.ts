import { createPrivateKey } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eidOfCertificate, type EuiccIdentity } from '../../shared/rsp/euiccIdentity';
import { ecdsa, parseCertificate, rspRoles, verifyChain } from '../../shared/rsp/pki';
import type * as x509 from '../../shared/rsp/x509';

/**
 * `--euicc-identity <dir>`: who the simulated eUICC is, from a folder of PEM files a team has (the
 * GSMA SGP.26 test certificates, or a private test PKI):
 * - `ci*.pem`: one or more CI certificates the eUICC trusts (each listed by its key id in EUICCInfo1/2);
 * - `eum.pem`: CERT.EUM;
 * - `euicc.pem`: CERT.EUICC, its subject's serialNumber the EID;
 * - `euicc.key.pem`: its private key, PKCS#8 (`BEGIN PRIVATE KEY`) or SEC1 (`BEGIN EC PRIVATE KEY`), P-256.
 * Rejects with an Error that names the file and what is wrong: a file missing or unreadable, not a
 * certificate, no EID, a key that is not CERT.EUICC's, CERT.EUICC not chaining through CERT.EUM to a CI.
 */
export async function loadEuiccIdentity(dir: string): Promise<EuiccIdentity> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${dir}: ${error.code ?? error.message}`);
  });
  const ciFiles = names.filter((n) => /^ci.*\.pem$/i.test(n)).sort();
  if (ciFiles.length === 0) throw new Error(`${dir}: no CI certificate (ci*.pem)`);
  const cis = await Promise.all(ciFiles.map((n) => certificateIn(join(dir, n))));
  const eum = await certificateIn(join(dir, 'eum.pem'));
  const euicc = await certificateIn(join(dir, 'euicc.pem'));
  const eid = eidOfCertificate(euicc);
  if (!eid) throw new Error(`${join(dir, 'euicc.pem')}: its subject has no serialNumber of 32 digits (the EID)`);
  const keyFile = join(dir, 'euicc.key.pem');
  const keyPem = await readFile(keyFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${keyFile}: ${error.code ?? error.message}`);
  });
  let pkcs8: Buffer;
  try {
    pkcs8 = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' });
  } catch {
    throw new Error(`${keyFile}: not a private key in PEM (PKCS#8 or SEC1)`);
  }
  const privateKey = await crypto.subtle.importKey('pkcs8', new Uint8Array(pkcs8), ecdsa, true, ['sign']).catch(() => {
    throw new Error(`${keyFile}: not a P-256 (NIST) key, the curve the simulated eUICC signs with`);
  });
  if (!(await signsFor(privateKey, euicc))) throw new Error(`${keyFile}: not the key of euicc.pem`);
  const trusted = await Promise.all(cis.map((ci) => verifyChain([new Uint8Array(euicc.rawData), new Uint8Array(eum.rawData)], ci, 'euicc')));
  if (!trusted.some(Boolean))
    throw new Error(
      `${dir}: euicc.pem does not chain through eum.pem to any ci*.pem (or one of them is out of its validity, or lacks the eUICC policy ${rspRoles.euicc})`,
    );
  return { eid, cis, eum: new Uint8Array(eum.rawData), euicc: { certificate: euicc, der: new Uint8Array(euicc.rawData), privateKey } };
}

async function certificateIn(file: string): Promise<x509.X509Certificate> {
  const pem = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${file}: ${error.code ?? error.message}`);
  });
  const base64 = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem)?.[1];
  const certificate = base64 ? parseCertificate(Uint8Array.from(Buffer.from(base64.replace(/\s+/g, ''), 'base64'))) : null;
  if (!certificate) throw new Error(`${file}: not a certificate in PEM`);
  return certificate;
}

/** Whether the key signs what the certificate's public key verifies. */
async function signsFor(key: Awaited<ReturnType<typeof crypto.subtle.importKey>>, certificate: x509.X509Certificate): Promise<boolean> {
  const probe = crypto.getRandomValues(new Uint8Array(32));
  const signature = await crypto.subtle.sign(ecdsa, key, probe);
  const publicKey = await certificate.publicKey.export(ecdsa, ['verify']).catch(() => null);
  return publicKey !== null && crypto.subtle.verify(ecdsa, publicKey, signature, probe);
}
