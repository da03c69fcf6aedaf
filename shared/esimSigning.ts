import { canonicalJson } from './esim';

/**
 * ECDSA P-256 signatures over canonical JSON, standing in for SGP.22's certificates. WebCrypto, so
 * the SM-DP+ (cloud/), the eUICC (hardware/) and tests share one implementation.
 */
export interface SigningKey {
  privateKey: CryptoKey;
  /** SPKI PEM, as it travels in messages */
  publicPem: string;
}

/** (spelled this way: Node's types and the DOM's both have it, under different names) */
type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

const algorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signature = { name: 'ECDSA', hash: 'SHA-256' } as const;

function toBase64(bytes: ArrayBuffer): string {
  let binary = '';
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary);
}
function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
const encode = (value: unknown) => new TextEncoder().encode(canonicalJson(value));

export async function newSigningKey(): Promise<SigningKey> {
  const pair = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const spki = await crypto.subtle.exportKey('spki', pair.publicKey);
  const lines = toBase64(spki).match(/.{1,64}/g)!.join('\n');
  return { privateKey: pair.privateKey, publicPem: `-----BEGIN PUBLIC KEY-----\n${lines}\n-----END PUBLIC KEY-----\n` };
}

export async function signJson(value: unknown, key: SigningKey): Promise<string> {
  return toBase64(await crypto.subtle.sign(signature, key.privateKey, encode(value)));
}

/** False for a wrong signature, a wrong key, or anything that is not a key or a signature. */
export async function verifyJson(value: unknown, sig: string, publicPem: string): Promise<boolean> {
  try {
    const der = fromBase64(publicPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''));
    const key = await crypto.subtle.importKey('spki', der, algorithm, false, ['verify']);
    return await crypto.subtle.verify(signature, key, fromBase64(sig), encode(value));
  } catch {
    return false;
  }
}
