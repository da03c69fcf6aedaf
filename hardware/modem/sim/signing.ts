import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../../../shared/esim';

/** An ECDSA P-256 key pair, standing in for the certificates of SGP.22's PKI. */
export interface KeyPair {
  privateKey: KeyObject;
  /** PEM, as it travels in messages */
  publicPem: string;
}

export function newKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function keyPairFromPem(privatePem: string): KeyPair {
  const privateKey = createPrivateKey(privatePem);
  return { privateKey, publicPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString() };
}

export function signJson(value: unknown, key: KeyPair): string {
  return sign('sha256', Buffer.from(canonicalJson(value)), key.privateKey).toString('base64');
}

export function verifyJson(value: unknown, signature: string, publicPem: string): boolean {
  try {
    return verify('sha256', Buffer.from(canonicalJson(value)), createPublicKey(publicPem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
