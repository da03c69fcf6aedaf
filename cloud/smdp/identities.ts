import { loadIdentity } from '../../shared/rsp/pki';
import { testPki } from '../../shared/rsp/testPki';
import * as x509 from '../../shared/rsp/x509';
import type { SmdpIdentities } from './es9plus';

/** The SM-DP+'s identities from the project's TEST-ONLY PKI (loaded with the engine, when ES9+ is first called). */
export async function testIdentities(): Promise<SmdpIdentities> {
  return { dpAuth: await loadIdentity(testPki.dpAuth), dpPb: await loadIdentity(testPki.dpPb), ci: new x509.X509Certificate(testPki.ci.certificate) };
}
