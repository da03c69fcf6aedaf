/**
 * What the simulated eUICC needs of the PKI (SGP.22 §4.5.2): its certificates, signatures and the
 * CIs it trusts. @peculiar/x509 and its ASN.1 schemas cost a car's start ~50 ms to load, and most
 * starts download nothing, so `SimEuicc` imports this module when it first needs it.
 */
export { sign, subjectKeyId, testSmdpOid, verify, verifyChain } from '../../../shared/rsp/pki';
export { ciByKeyId, testEuiccIdentity } from '../../../shared/rsp/euiccIdentity';
export { X509Certificate } from '../../../shared/rsp/x509';
