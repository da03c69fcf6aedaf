import type { CryptoKey } from './pki';

/**
 * The one-time key pairs of a profile download (SGP.22 §2.6.7, otPK/otSK of the eUICC and of the
 * SM-DP+): ECDH on P-256 with WebCrypto, whose shared secret `sessionKeys` (scp03t.ts) derives the
 * SCP03t keys from. Apart from SCP03t's AES, so that what makes a key pair (PrepareDownload) does
 * not load the cipher before a package is bound.
 */

/** A fresh one-time ECDH key pair on P-256; the public key as an uncompressed point (65 bytes, as '5F49' carries it). */
export async function oneTimeKey(): Promise<{ privateKey: CryptoKey; publicKey: Uint8Array }> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  return { privateKey: pair.privateKey, publicKey: new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)) };
}

/** The ECDH shared secret (the x-coordinate) of our private key and their public point; null for a point not on the curve. */
export async function agree(privateKey: CryptoKey, theirs: Uint8Array): Promise<Uint8Array | null> {
  try {
    const key = await crypto.subtle.importKey('raw', theirs as Uint8Array<ArrayBuffer>, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
    return new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: key }, privateKey, 256));
  } catch {
    return null;
  }
}
