import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeTlv, wrap } from '../../shared/es10/tlv';
import { SecureChannel, sessionKeys, type SessionKeys } from '../../shared/rsp/scp03t';

/**
 * SCP03t against another implementation's bytes: the KDF and a session's segments as a
 * third-party SM-DP+ protected them (its trace, kept in test/fixtures/scp03t/), on the protecting
 * side (the SM-DP+) and the checking side (the eUICC).
 */
interface Segment {
  tag: string;
  encrypted: boolean;
  plain: string;
  protected: string;
}
interface Session {
  enc: string;
  mac: string;
  initialMcv: string;
  segments: Segment[];
}
const vectors = JSON.parse(readFileSync(new URL('../fixtures/scp03t/third-party-sm-dp.json', import.meta.url), 'utf8')) as {
  kdf: { sharedSecret: string; eid: string; hostId: string; enc: string; mac: string; initialMcv: string }[];
  session: Session;
  afterReplaceSessionKeys: Session;
};
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
const hex = (data: Uint8Array | null) => (data ? Buffer.from(data).toString('hex') : null);
const keysOf = (s: Session): SessionKeys => ({ enc: bytes(s.enc), mac: bytes(s.mac), chaining: bytes(s.initialMcv) });

describe('SCP03t against a third-party SM-DP+’s trace', () => {
  it.each(vectors.kdf.map((v, i) => [i, v] as const))('derives the same session keys (vector %i)', async (_i, v) => {
    const keys = await sessionKeys(bytes(v.sharedSecret), bytes(v.hostId), bytes(v.eid));
    expect([hex(keys.enc), hex(keys.mac), hex(keys.chaining)]).toEqual([v.enc, v.mac, v.initialMcv]);
  });

  // (the segment counter advances for MAC-only segments too: the third segment shows it)
  it.each([
    ['the session keys', vectors.session],
    ['the profile protection keys', vectors.afterReplaceSessionKeys],
  ] as const)('protects each segment with %s as the other SM-DP+ did', (_what, session) => {
    const channel = new SecureChannel(keysOf(session));
    for (const s of session.segments) {
      const tag = Number.parseInt(s.tag, 16);
      expect(hex(wrap(tag, channel.protect(tag, bytes(s.plain), s.encrypted)))).toBe(s.protected);
    }
  });

  it.each([
    ['the session keys', vectors.session],
    ['the profile protection keys', vectors.afterReplaceSessionKeys],
  ] as const)('checks and decrypts each segment with %s as the eUICC must', (_what, session) => {
    const channel = new SecureChannel(keysOf(session));
    for (const s of session.segments) {
      const tag = Number.parseInt(s.tag, 16);
      expect(hex(channel.unprotect(tag, decodeTlv(bytes(s.protected)).value!, s.encrypted))).toBe(s.plain);
    }
  });
});
