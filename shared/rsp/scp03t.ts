import { cbc, cmac, ecb } from '@noble/ciphers/aes.js';
import { concat } from '../es10/tlv';
import type { CryptoKey } from './pki';

/**
 * SCP03t, the protection of a bound profile package (SGP.22 §2.6.6, GlobalPlatform Amendment F):
 * session keys from the one-time keys' ECDH agreement, each segment encrypted with S-ENC
 * (AES-128-CBC, its ICV the encrypted segment counter, which every segment advances) and MACed with S-MAC (AES-CMAC over the
 * previous MAC, the tag, the length and the data; 8 bytes kept). Both ends use this: the SM-DP+
 * protects, the eUICC checks and decrypts. Pure bytes, no I/O.
 */

export interface SessionKeys {
  enc: Uint8Array;
  mac: Uint8Array;
  /** the initial MAC chaining value */
  chaining: Uint8Array;
}

/** The ControlRefTemplate's values: keyType AES ('88'), 16-byte keys, and the host id the SM-DP+ chose. */
export const keyType = 0x88;
export const keyLength = 0x10;

/**
 * The session keys (SGP.22 §2.6.7): ANSI X9.63 KDF with SHA-256 over the shared secret (the ECDH
 * x-coordinate), shared info = keyType ‖ keyLength ‖ hostId (LV) ‖ EID (LV); 48 bytes become the
 * initial MAC chaining value, S-ENC and S-MAC.
 */
export async function sessionKeys(sharedSecret: Uint8Array, hostId: Uint8Array, eid: Uint8Array): Promise<SessionKeys> {
  const sharedInfo = concat([Uint8Array.from([keyType, keyLength, hostId.length]), hostId, Uint8Array.from([eid.length]), eid]);
  const blocks: Uint8Array[] = [];
  for (let counter = 1; blocks.length * 32 < 48; counter++) {
    const input = concat([sharedSecret, Uint8Array.from([0, 0, 0, counter]), sharedInfo]);
    blocks.push(new Uint8Array(await crypto.subtle.digest('SHA-256', input as Uint8Array<ArrayBuffer>)));
  }
  const data = concat(blocks);
  return { chaining: data.slice(0, 16), enc: data.slice(16, 32), mac: data.slice(32, 48) };
}

/**
 * The state of one direction of a secure channel: the keys, the running MAC and the segment
 * counter. The counter that makes each encrypted segment's ICV counts every segment, MAC-only
 * ('88') ones too (GlobalPlatform Amendment F as SM-DP+s in the field apply it).
 */
export class SecureChannel {
  private chaining: Uint8Array;
  private counter = 1;

  constructor(private readonly keys: SessionKeys) {
    this.chaining = keys.chaining;
  }

  /** A segment's value: the data (encrypted when `encrypt`), then its 8-byte MAC. */
  protect(tag: number, data: Uint8Array, encrypt: boolean): Uint8Array {
    const body = encrypt ? cbc(this.keys.enc, this.icv(), { disablePadding: true }).encrypt(pad(data)) : data;
    this.counter += 1;
    return concat([body, this.mac(tag, body)]);
  }

  /** The data of a segment from the other end; null when its MAC is wrong or its padding broken (an SCP03t security error). */
  unprotect(tag: number, value: Uint8Array, encrypted: boolean): Uint8Array | null {
    if (value.length < 8) return null;
    const body = value.subarray(0, value.length - 8);
    const mac = this.mac(tag, body);
    if (!equal(mac, value.subarray(value.length - 8))) return null;
    if (!encrypted) {
      this.counter += 1;
      return body;
    }
    if (body.length === 0 || body.length % 16 !== 0) return null;
    const plain = cbc(this.keys.enc, this.icv(), { disablePadding: true }).decrypt(body);
    this.counter += 1;
    return unpad(plain);
  }

  private icv(): Uint8Array {
    const block = new Uint8Array(16);
    new DataView(block.buffer).setUint32(12, this.counter);
    return ecb(this.keys.enc, { disablePadding: true }).encrypt(block);
  }

  private mac(tag: number, body: Uint8Array): Uint8Array {
    const length = body.length + 8;
    const header = Uint8Array.from([tag, ...(length < 0x80 ? [length] : length < 0x100 ? [0x81, length] : [0x82, length >> 8, length & 0xff])]);
    this.chaining = cmac(concat([this.chaining, header, body]), this.keys.mac);
    return this.chaining.slice(0, 8);
  }
}

/** ISO/IEC 9797-1 padding method 2: 80, then zeros to a whole block. */
function pad(data: Uint8Array): Uint8Array {
  const out = new Uint8Array((Math.floor(data.length / 16) + 1) * 16);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}
function unpad(data: Uint8Array): Uint8Array | null {
  let end = data.length - 1;
  while (end >= 0 && data[end] === 0) end--;
  return end >= 0 && data[end] === 0x80 ? data.slice(0, end) : null;
}
function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

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
