import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bindProfilePackage } from '../../cloud/smdp/bind';
import { makeProfile } from '../../shared/saip/profilePackage';
import { segmentsOf } from '../../hardware/modem/es10Client';
import { BppLoader } from '../../hardware/modem/sim/bppLoader';
import { SimModem } from '../../hardware/modem/sim/simModem';
import { instantTiming } from '../../hardware/modem/sim/timing';
import {
  ctxParams1,
  decodeEuiccInfo1,
  encodeCancelSession,
  encodeEuiccInfo1,
  euiccInfo2,
  readCancelSession,
  readCtxParams1,
  readEuiccInfo2,
  readServerSigned1,
  readSmdpSigned2,
  serverSigned1,
  smdpSigned2,
} from '../../shared/es10/es10b';
import { fromPlmn, plmn, readStoreMetadata, storeMetadata, type StoreMetadata } from '../../shared/es10/metadata';
import { encodeMemoryReset, resetOptions, encodeRetrieveNotifications, readRetrieveNotifications } from '../../shared/es10/notifications';
import { isdRAid, toHex } from '../../shared/es10/es10c';
import { concat, decodeTlv, derOf, encodeTlv } from '../../shared/es10/tlv';
import { errorReasons } from '../../shared/esim';
import { loadIdentity, verify } from '../../shared/rsp/pki';
import { oneTimeKey, SecureChannel, sessionKeys } from '../../shared/rsp/scp03t';
import { testPki } from '../../shared/rsp/testPki';

/**
 * ES10b in BER-TLV (SGP.22 §5.7, ASN.1 of Annex H): fixed vectors and round trips of the codec,
 * SCP03t's protection, the bound profile package from the SM-DP+'s binding to the eUICC's load,
 * and random segments to the card, which answer with status words and install nothing.
 */
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const utf8 = fc.string({ maxLength: 40 });
/** (digits built, not matched: a regex's $ also lets a trailing newline through) */
const digits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));

describe('the ES10b codec', () => {
  it('encodes the requests as SGP.22 spells them', () => {
    expect(toHex(encodeTlv({ tag: 0xbf20, children: [] }))).toBe('BF2000'); // GetEUICCInfo1
    expect(toHex(encodeRetrieveNotifications(3))).toBe('BF2B05A003800103');
    expect(toHex(encodeRetrieveNotifications(null))).toBe('BF2B00');
    expect(toHex(encodeCancelSession(Uint8Array.of(0xab, 0xcd), 2))).toBe('BF41078002ABCD810102');
    expect(toHex(plmn('44010'))).toBe('44F001'); // MCC 440, MNC 10 (TS 24.008 packing)
    expect(toHex(plmn('310410'))).toBe('130014');
    expect(
      toHex(encodeTlv(storeMetadata({ iccid: '8981100000000000017', serviceProviderName: 'D', profileName: 'N', profileClass: 2, mccMnc: '44010' }))),
    ).toBe('BF251C5A0A981801000000000010F7910144' + '92014E950102B705800344F001');
  });

  it('reads back what it writes', () => {
    fc.assert(
      fc.property(fc.record({ transactionId: bytes(16), euiccChallenge: bytes(16), serverAddress: fc.domain(), serverChallenge: bytes(16) }), (s) => {
        expect(readServerSigned1(decodeTlv(encodeTlv(serverSigned1(s))))).toEqual(s);
      }),
    );
    fc.assert(
      fc.property(fc.record({ transactionId: bytes(16), ccRequiredFlag: fc.boolean() }), (s) => {
        expect(readSmdpSigned2(decodeTlv(encodeTlv(smdpSigned2(s))))).toEqual(s);
      }),
    );
    fc.assert(
      fc.property(fc.record({ matchingId: fc.option(utf8, { nil: null }), tac: bytes(4) }), (c) => {
        expect(readCtxParams1(decodeTlv(encodeTlv(ctxParams1(c))))).toEqual(c);
      }),
    );
    const ids = fc.array(bytes(20), { maxLength: 3 });
    fc.assert(
      fc.property(fc.record({ svn: fc.constantFrom('2.2.2', '2.3.0'), ciPkIdsForVerification: ids, ciPkIdsForSigning: ids }), (info) => {
        expect(decodeEuiccInfo1(encodeEuiccInfo1(info))).toEqual(info);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 65535 }), (free, volatile) => {
        const info = {
          profileVersion: '2.3.1',
          svn: '2.2.2',
          firmwareVersion: '1.0.0',
          installedApplications: 2,
          freeNonVolatileMemory: free,
          freeVolatileMemory: volatile,
          ciPkIdsForVerification: [],
          ciPkIdsForSigning: [],
          ppVersion: '0.0.1',
          sasAccreditationNumber: 'X',
        };
        expect(readEuiccInfo2(decodeTlv(encodeTlv(euiccInfo2(info))))).toEqual(info);
      }),
    );
    const metadata: fc.Arbitrary<StoreMetadata> = fc.record({
      iccid: digits(17, 18).map((d) => `89${d}`),
      serviceProviderName: utf8,
      profileName: utf8,
      profileClass: fc.constantFrom(0, 1, 2),
      mccMnc: fc.option(digits(5, 6), { nil: null }),
    });
    fc.assert(
      fc.property(metadata, (m) => {
        expect(readStoreMetadata(decodeTlv(encodeTlv(storeMetadata(m))))).toEqual(m);
      }),
    );
    fc.assert(
      fc.property(digits(5, 6), (p) => {
        expect(fromPlmn(plmn(p))).toBe(p);
      }),
    );
    fc.assert(
      fc.property(bytes(16), fc.integer({ min: 0, max: 127 }), (id, reason) => {
        expect(readCancelSession(decodeTlv(encodeCancelSession(id, reason)))).toEqual({ transactionId: id, reason });
      }),
    );
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { nil: null }), (seq) => {
        expect(readRetrieveNotifications(decodeTlv(encodeRetrieveNotifications(seq)))).toBe(seq);
      }),
    );
  });
});

describe('SCP03t', () => {
  it('gives back what the other end protected, and nothing for a changed byte', async () => {
    const keys = await sessionKeys(crypto.getRandomValues(new Uint8Array(32)), Uint8Array.of(1, 2), new Uint8Array(16));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(0x86, 0x87, 0x88), fc.uint8Array({ maxLength: 300 }))), fc.nat(), async (segments, flip) => {
        const sender = new SecureChannel(keys);
        const receiver = new SecureChannel(keys);
        for (const [tag, data] of segments) {
          const value = sender.protect(tag, data, tag !== 0x88);
          expect(receiver.unprotect(tag, value, tag !== 0x88)).toEqual(data);
        }
        const tampered = new SecureChannel(keys).protect(0x86, Uint8Array.of(1, 2, 3), true);
        tampered[flip % tampered.length]! ^= 0x01;
        expect(new SecureChannel(keys).unprotect(0x86, tampered, true)).toBeNull();
      }),
      { numRuns: 50 },
    );
  });
});

describe('the bound profile package', () => {
  const metadata = { iccid: '8981100000000000017', serviceProviderName: 'NTT DOCOMO', profileName: 'One Number', profileClass: 2, mccMnc: '44010' };
  async function bound(change: { profileIccid?: string; ppk?: boolean } = {}) {
    const dpPb = await loadIdentity(testPki.dpPb);
    const ot = await oneTimeKey();
    const transactionId = crypto.getRandomValues(new Uint8Array(16));
    const eid = crypto.getRandomValues(new Uint8Array(16));
    const profile = makeProfile({
      iccid: change.profileIccid ?? metadata.iccid,
      imsi: '440100000000017',
      profileName: 'One Number',
      serviceProviderName: 'NTT DOCOMO',
      size: 5_000,
    });
    const bpp = await bindProfilePackage({ transactionId, euiccOtpk: ot.publicKey, eid, metadata, profile, dpPb, ppk: change.ppk ?? false });
    return { bpp, loader: () => new BppLoader({ transactionId, eid, otSk: ot.privateKey, euiccOtpk: ot.publicKey, dpPb: dpPb.certificate }) };
  }
  const load = async (loader: BppLoader, segments: Uint8Array[]) => {
    for (const segment of segments) {
      const step = await loader.take(segment);
      if (step.kind !== 'more') return step;
    }
    return { kind: 'more' as const };
  };

  it('loads as the SM-DP+ bound it: metadata, and profile elements whose header names the ICCID', async () => {
    const { bpp, loader } = await bound();
    const step = await load(loader(), segmentsOf(bpp));
    expect(step).toMatchObject({ kind: 'complete', metadata, segments: 6 });
  });

  it('signs InitialiseSecureChannel over its signed part and the eUICC’s one-time key (5F49, §5.5.1)', async () => {
    const dpPb = await loadIdentity(testPki.dpPb);
    const ot = await oneTimeKey();
    const bpp = await bindProfilePackage({
      transactionId: new Uint8Array(16),
      euiccOtpk: ot.publicKey,
      eid: new Uint8Array(16),
      metadata,
      profile: makeProfile({ iccid: metadata.iccid, imsi: '440100000000017', profileName: 'One Number', serviceProviderName: 'NTT DOCOMO', size: 2_000 }),
      dpPb,
    });
    const initialise = decodeTlv(bpp).children!.find((c) => c.tag === 0xbf23)!;
    const [remoteOpId, transactionId, crt, smdpOtpk, smdpSign] = initialise.children!;
    expect([remoteOpId!.tag, transactionId!.tag, crt!.tag, smdpOtpk!.tag, smdpSign!.tag]).toEqual([0x82, 0x80, 0xa6, 0x5f49, 0x5f37]);
    const signed = concat([...[remoteOpId!, transactionId!, crt!, smdpOtpk!].map(derOf), Uint8Array.of(0x5f, 0x49, 0x41), ot.publicKey]);
    expect(await verify(signed, smdpSign!.value!, dpPb.certificate)).toBe(true);
  });

  it('loads a package whose profile elements are protected with profile protection keys (A2, ReplaceSessionKeys)', async () => {
    const { bpp, loader } = await bound({ ppk: true });
    const segments = segmentsOf(bpp);
    expect(segments.some((s) => s[0] === 0xa2)).toBe(true);
    expect(await load(loader(), segments)).toMatchObject({ kind: 'complete', metadata, segments: 6 });
    // (a changed A2 is a security error of ReplaceSessionKeys)
    const changed = segments.map((s) => (s[0] === 0xa2 ? Uint8Array.from(s, (b, j) => (j === 12 ? b ^ 1 : b)) : s));
    expect(await load(loader(), changed)).toMatchObject({ kind: 'failed', errorReason: errorReasons.scp03tSecurityError, bppCommandId: 4 });
  });

  it('refuses a changed segment (8, scp03tSecurityError), a profile whose header disagrees (13), and another transaction (3)', async () => {
    const { bpp, loader } = await bound();
    const segments = segmentsOf(bpp);
    const changed = segments.map((s, i) => (i === segments.length - 2 ? Uint8Array.from(s, (b, j) => (j === 10 ? b ^ 1 : b)) : s));
    expect(await load(loader(), changed)).toMatchObject({ kind: 'failed', errorReason: errorReasons.scp03tSecurityError, bppCommandId: 5 });
    const other = await bound({ profileIccid: '8981100000000000025' });
    expect(await load(other.loader(), segmentsOf(other.bpp))).toMatchObject({ kind: 'failed', errorReason: errorReasons.dataMismatch });
    const stranger = await bound();
    expect(await load(loader(), segmentsOf(stranger.bpp))).toMatchObject({ kind: 'failed', errorReason: errorReasons.invalidTransactionId, bppCommandId: 0 });
  });
});

describe('the simulated card and ES10b', () => {
  it('answers random ES10b commands and package segments with status words or its errors, and installs nothing', async () => {
    const modem = new SimModem({ timing: instantTiming });
    const card = modem.card;
    const channel = card.openChannel(isdRAid)!;
    const tags = [0xbf20, 0xbf22, 0xbf38, 0xbf21, 0xbf41, 0xbf2b, 0xbf34, 0xbf36, 0xa0, 0xa1, 0xa3, 0x86, 0x87, 0x88];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...tags), fc.uint8Array({ maxLength: 200 }), async (tag, body) => {
        const head = tag > 0xff ? [tag >> 8, tag & 0xff] : [tag];
        const data = Uint8Array.from([...head, body.length < 0x80 ? body.length : 0x7f, ...body.subarray(0, 0x7f)]);
        const answer = await card.transmit(channel, Uint8Array.from([0x80 | channel, 0xe2, 0x91, 0x00, data.length, ...data]));
        expect(answer.length).toBeGreaterThanOrEqual(2);
        expect([0x90, 0x61, 0x6a, 0x69, 0x6f]).toContain(answer.at(-2));
      }),
      { numRuns: 400 },
    );
    expect(await modem.euicc.listProfiles()).toEqual([]);
  });

  it('resets its memory as eUICCMemoryReset asks: the profiles, then nothing left to delete', async () => {
    const modem = new SimModem({
      timing: instantTiming,
      flash: {
        profiles: [
          {
            metadata: {
              iccid: '8981100000000000017',
              serviceProviderName: 'D',
              profileName: 'N',
              profileClass: 'operational',
              profileOwner: { mccMnc: '44010' },
              size: 1000,
            },
            state: 'enabled',
            nickname: null,
            address: '',
          },
        ],
        notifications: [],
        nextSeq: 1,
      },
    });
    const channel = modem.card.openChannel(isdRAid)!;
    const command = encodeMemoryReset(resetOptions.deleteOperationalProfiles);
    expect(toHex(command)).toBe('BF3404820205' + '80');
    const reset = () => modem.card.transmit(channel, Uint8Array.from([0x80 | channel, 0xe2, 0x91, 0x00, command.length, ...command]));
    expect(toHex(await reset())).toBe('BF340380010' + '09000');
    expect(await modem.euicc.listProfiles()).toEqual([]);
    expect(toHex(await reset())).toBe('BF340380010' + '19000');
  });
});
