import * as x509 from './x509';

/**
 * SGP.22's certificates and ECDSA signatures (§2.6.5, §4.5.2), on WebCrypto and @peculiar/x509 so
 * that the eUICC (hardware/), the SM-DP+ (cloud/) and the LPA (main/) share one implementation.
 * Signatures are ECDSA P-256 with SHA-256 in the plain r‖s form of BSI TR-03111 (64 bytes), which
 * is what SGP.22 carries in its [APPLICATION 55] '5F37' fields.
 */

x509.cryptoProvider.set(crypto);

/** (spelled this way: Node's types and the DOM's both have it, under different names) */
export type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

export const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** The certificate policies that name an RSP role (SGP.22 §4.5.2.1: id-rspRole, 2.23.146.1.2.1.x). */
export const rspRoles = {
  ci: '2.23.146.1.2.1.0',
  euicc: '2.23.146.1.2.1.1',
  eum: '2.23.146.1.2.1.2',
  dpTls: '2.23.146.1.2.1.3',
  dpAuth: '2.23.146.1.2.1.4',
  dpPb: '2.23.146.1.2.1.5',
} as const;

/**
 * The bench SM-DP+'s OID (smdpOid in results and cancellations; a real one is in its certificate's
 * registeredID). Under 2.999, the arc ITU-T X.660 keeps for examples: TEST ONLY.
 */
export const testSmdpOidText = '2.999.10';
export const testSmdpOid = Uint8Array.from([0x88, 0x37, 0x0a]);

/** A certificate with its private key. */
export interface Identity {
  certificate: x509.X509Certificate;
  /** the certificate's DER, as it travels in ES9+ and ES10 */
  der: Uint8Array;
  privateKey: CryptoKey;
}

export function toPem(label: string, der: Uint8Array): string {
  let binary = '';
  for (const b of der) binary += String.fromCharCode(b);
  return `-----BEGIN ${label}-----\n${btoa(binary)
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END ${label}-----\n`;
}
function fromPem(pem: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')), (c) => c.charCodeAt(0));
}

/** A certificate and PKCS#8 key in PEM, as scripts/testPki.ts writes them. */
export async function loadIdentity(pem: { certificate: string; key: string }): Promise<Identity> {
  const certificate = new x509.X509Certificate(pem.certificate);
  const privateKey = await crypto.subtle.importKey('pkcs8', fromPem(pem.key), ecdsa, true, ['sign']);
  return { certificate, der: new Uint8Array(certificate.rawData), privateKey };
}

/**
 * Issues a leaf certificate under `issuer` for a fresh P-256 key: an eUICC's (subject serialNumber
 * = its EID, under the EUM) or an SM-DP+'s TLS certificate (under the CI, for `hosts`).
 */
export async function issue(issuer: Identity, leaf: { role: 'euicc'; eid: string } | { role: 'dpTls'; hosts: string[] }): Promise<Identity> {
  const pair = await crypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const serial = [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const extensions: x509.Extension[] = [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    await x509.SubjectKeyIdentifierExtension.create(pair.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate),
    new x509.CertificatePolicyExtension([rspRoles[leaf.role]], true),
  ];
  if (leaf.role === 'dpTls') {
    extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]));
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        leaf.hosts.map((host) => (/^[\d.]+$|:/.test(host) ? { type: 'ip' as const, value: host } : { type: 'dns' as const, value: host })),
      ),
    );
  }
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: `01${serial}`,
    // (RFC 4514: a '+' in a value is escaped, or it would start another attribute of the RDN)
    subject: leaf.role === 'euicc' ? `CN=Test eUICC,2.5.4.5=${leaf.eid},O=iDrive bench TEST ONLY` : 'CN=Test SM-DP\\+ (TLS),O=iDrive bench TEST ONLY',
    issuer: issuer.certificate.subject,
    notBefore: new Date('2024-01-01T00:00:00Z'),
    notAfter: new Date('2099-12-31T23:59:59Z'),
    signingAlgorithm: ecdsa,
    publicKey: pair.publicKey,
    signingKey: issuer.privateKey,
    extensions,
  });
  return { certificate, der: new Uint8Array(certificate.rawData), privateKey: pair.privateKey };
}

/** The certificate's SubjectKeyIdentifier (the key id SGP.22 lists in euiccCiPKId…), or an empty array. */
export function subjectKeyId(certificate: x509.X509Certificate): Uint8Array {
  const ski = certificate.getExtension(x509.SubjectKeyIdentifierExtension);
  return ski ? Uint8Array.from(ski.keyId.match(/../g) ?? [], (h) => Number.parseInt(h, 16)) : new Uint8Array(0);
}

/** A DER certificate, or null when the bytes are not one. */
export function parseCertificate(der: Uint8Array): x509.X509Certificate | null {
  try {
    return new x509.X509Certificate(der as Uint8Array<ArrayBuffer>);
  } catch {
    return null;
  }
}

/**
 * Whether `chain` (leaf first, then its issuers) leads to `root` (SGP.22 §4.5.2.2): each certificate
 * signed by the next, the last by the root, all valid now, and the leaf holding the policy of `role`.
 * The leaf on success, null otherwise.
 */
export async function verifyChain(
  chain: Uint8Array[],
  root: x509.X509Certificate,
  role: keyof typeof rspRoles,
  now = new Date(),
): Promise<x509.X509Certificate | null> {
  const certificates = chain.map(parseCertificate);
  if (certificates.length === 0 || certificates.some((c) => c === null)) return null;
  const path = [...(certificates as x509.X509Certificate[]), root];
  for (let i = 0; i < path.length - 1; i++) {
    const [subject, issuer] = [path[i]!, path[i + 1]!];
    if (subject.issuer !== issuer.subject) return null;
    if (now < subject.notBefore || now > subject.notAfter) return null;
    if (!(await subject.verify({ publicKey: issuer, signatureOnly: true }).catch(() => false))) return null;
  }
  const leaf = path[0]!;
  const policies = leaf.getExtension(x509.CertificatePolicyExtension)?.policies ?? [];
  return policies.includes(rspRoles[role]) ? leaf : null;
}

/** ECDSA P-256 / SHA-256 over `data`, r‖s (64 bytes). */
export async function sign(data: Uint8Array, key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign(ecdsa, key, data as Uint8Array<ArrayBuffer>));
}

/** Whether `signature` (r‖s) over `data` is by the key of `certificate`; false for anything malformed. */
export async function verify(data: Uint8Array, signature: Uint8Array, certificate: x509.X509Certificate): Promise<boolean> {
  try {
    const key = await certificate.publicKey.export(ecdsa, ['verify']);
    return await crypto.subtle.verify(ecdsa, key, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
  } catch {
    return false;
  }
}
