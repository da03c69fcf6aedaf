/**
 * The SM-DP+'s TLS identity (SGP.22's CERT.DP.TLS, issued by the test CI for the names it is
 * reached at) as PEM: kept in the cloud's state and used again at the next start while the names
 * are the same, so a start does not load the PKI or make a key (the certificate is valid to 2099).
 */
export interface SmdpTls {
  /** the names and addresses in its subjectAltName */
  hosts: string[];
  /** PKCS #8, PEM */
  key: string;
  cert: string;
}

const sameHosts = (a: string[], b: string[]) => a.length === b.length && a.every((host) => b.includes(host));

/** `kept` when it names exactly `hosts`; otherwise a new one from the test CI (the PKI loaded for it). */
export async function smdpTls(hosts: string[], kept?: SmdpTls): Promise<SmdpTls> {
  if (kept && sameHosts(kept.hosts, hosts)) return kept;
  const [{ issue, loadIdentity, toPem }, { testPki }] = await Promise.all([import('../../shared/rsp/pki'), import('../../shared/rsp/testPki')]);
  const tls = await issue(await loadIdentity(testPki.ci), { role: 'dpTls', hosts });
  const key = toPem('PRIVATE KEY', new Uint8Array(await crypto.subtle.exportKey('pkcs8', tls.privateKey)));
  return { hosts, key, cert: tls.certificate.toString('pem') };
}
