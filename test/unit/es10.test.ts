import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeAddresses,
  decodeChallenge,
  decodeEid,
  decodeNotifications,
  encodeAddresses,
  decodeProfiles,
  decodeRequest,
  decodeResult,
  encodeEid,
  encodeNotifications,
  encodeProfiles,
  encodeRequest,
  encodeResult,
  es10cTags,
  hex,
  isdPAid,
  isdRAid,
  toHex,
  type Es10cRequest,
  type ProfileInfo,
} from '../../shared/es10/es10c';
import { iccidFromBytes, iccidToBytes } from '../../shared/es10/tlv';
import { AtChannel } from '../../hardware/modem/at/channel';
import { AtModem } from '../../hardware/modem/at/atModem';
import { SimAtPort } from '../../hardware/modem/sim/atPort';
import { SimModem } from '../../hardware/modem/sim/simModem';
import type { EuiccFlash } from '../../hardware/modem/sim/simEuicc';
import { instantTiming } from '../../hardware/modem/sim/timing';

/**
 * ES10c in BER-TLV (SGP.22 §5.7): the codec both sides use, with fixed vectors and round trips, and
 * the simulated card behind the AT port's logical channels: STORE DATA with chaining, GET RESPONSE,
 * and a status word for anything malformed, which changes nothing.
 */
const iccid = fc.stringMatching(/^89[0-9]{17,18}$/);
const nickname = fc.string({ maxLength: 20 });
const request: fc.Arbitrary<Es10cRequest> = fc.oneof(
  fc.constant({ kind: 'getEid' as const }),
  fc.constant({ kind: 'getProfilesInfo' as const }),
  fc.record({
    kind: fc.constant('getProfilesInfo' as const),
    search: fc.oneof(
      fc.record({ iccid }),
      fc.record({ isdpAid: fc.stringMatching(/^[0-9A-F]{32}$/) }),
      fc.record({ profileClass: fc.constantFrom('test' as const, 'provisioning' as const, 'operational' as const) }),
    ),
    tags: fc.subarray([0x5a, 0x4f, 0x9f70, 0x90, 0x91, 0x92, 0x95]),
  }),
  fc.record({ kind: fc.constantFrom('enable' as const, 'disable' as const), iccid, refresh: fc.boolean() }),
  fc.record({ kind: fc.constant('delete' as const), iccid }),
  fc.record({ kind: fc.constant('setNickname' as const), iccid, nickname }),
  fc.constant({ kind: 'listNotifications' as const }),
  fc.record({ kind: fc.constant('removeNotification' as const), seqNumber: fc.integer({ min: 0, max: 2 ** 31 - 1 }) }),
  fc.constant({ kind: 'getConfiguredAddresses' as const }),
  fc.constant({ kind: 'getEuiccChallenge' as const }),
  fc.record({ kind: fc.constant('setDefaultDpAddress' as const), address: fc.domain() }),
);
const profile: fc.Arbitrary<ProfileInfo> = fc.record({
  iccid,
  state: fc.constantFrom('enabled' as const, 'disabled' as const),
  nickname: fc.option(nickname, { nil: null }),
  serviceProviderName: fc.string({ maxLength: 30 }),
  profileName: fc.string({ maxLength: 30 }),
  profileClass: fc.constantFrom('test' as const, 'provisioning' as const, 'operational' as const),
});

function flashWith(n: number): EuiccFlash {
  return {
    profiles: Array.from({ length: n }, (_, i) => ({
      metadata: {
        iccid: `898110000000000001${i}`,
        serviceProviderName: 'NTT DOCOMO',
        profileName: `One Number ${i} ${'x'.repeat(30)}`,
        profileClass: 'operational' as const,
        profileOwner: { mccMnc: '44010' },
        size: 1000,
      },
      state: i === 0 ? ('enabled' as const) : ('disabled' as const),
      nickname: null,
      address: 'smdp.example',
    })),
    notifications: [],
    nextSeq: 1,
  };
}
const storeData = (channel: number, data: Uint8Array, p1 = 0x91, p2 = 0) => new Uint8Array([0x80 | channel, 0xe2, p1, p2, data.length, ...data]);

describe('the ES10c codec', () => {
  it('encodes as SGP.22 writes it (fixed vectors)', () => {
    expect(toHex(encodeRequest({ kind: 'getEid' }))).toBe('BF3E035C015A');
    expect(toHex(encodeRequest({ kind: 'getProfilesInfo' }))).toBe('BF2D00');
    expect(toHex(encodeRequest({ kind: 'getProfilesInfo', search: { iccid: '8981100000000000017' }, tags: [0x5a, 0x4f, 0x9f70] }))).toBe(
      'BF2D14' + 'A00C5A0A981801000000000010F7' + '5C045A4F9F70',
    );
    expect(toHex(encodeRequest({ kind: 'enable', iccid: '8981100000000000017', refresh: true }))).toBe('BF3111A00C5A0A981801000000000010F78101FF');
    expect(toHex(encodeRequest({ kind: 'delete', iccid: '8981100000000000017' }))).toBe('BF330C5A0A981801000000000010F7');
    expect(toHex(encodeResult(es10cTags.disable, 2))).toBe('BF3203800102');
    expect(toHex(encodeNotifications([{ seqNumber: 5, event: 'delete', notificationAddress: 'a.b', iccid: '8981100000000000017' }]))).toBe(
      'BF281DA01BBF2F18' + '800105' + '81020410' + '0C03612E62' + '5A0A981801000000000010F7',
    );
    expect(iccidFromBytes(iccidToBytes('89811000000000000171'))).toBe('89811000000000000171');
    expect(toHex(encodeAddresses({ defaultDpAddress: 'a.b', rootDsAddress: 'c.d' }))).toBe('BF3C0A8003612E628103632E64');
    expect(decodeAddresses(encodeAddresses({ defaultDpAddress: null, rootDsAddress: 'lpa.ds.gsma.com' }))).toEqual({
      defaultDpAddress: null,
      rootDsAddress: 'lpa.ds.gsma.com',
    });
  });

  it('round-trips every request, profile list, EID and result', () => {
    fc.assert(
      fc.property(request, (r) => {
        expect(decodeRequest(encodeRequest(r))).toEqual(r);
      }),
    );
    fc.assert(
      fc.property(fc.array(profile, { maxLength: 8 }), (list) => {
        expect(decodeProfiles(encodeProfiles(list))).toEqual(list.map((p) => ({ ...p, isdpAid: toHex(isdPAid(p.iccid)) })));
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{32}$/), (eid) => {
        expect(decodeEid(encodeEid(eid))).toBe(eid);
      }),
    );
    const notification = fc.record({
      seqNumber: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      event: fc.constantFrom('install' as const, 'enable' as const, 'disable' as const, 'delete' as const),
      notificationAddress: fc.domain(),
      iccid,
    });
    fc.assert(
      fc.property(fc.array(notification, { maxLength: 6 }), (list) => {
        expect(decodeNotifications(encodeNotifications(list))).toEqual(list);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 127 }), (code) => {
        expect(decodeResult(encodeResult(es10cTags.delete, code), es10cTags.delete)).toBe(code);
      }),
    );
  });
});

describe('the simulated card', () => {
  it('answers random APDUs with a status word, never throws, and changes nothing', async () => {
    const modem = new SimModem({ timing: instantTiming, flash: flashWith(2) });
    const card = modem.card;
    const channel = card.openChannel(isdRAid)!;
    const before = await modem.euicc.listProfiles();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 40 }), async (apdu) => {
        const answer = await card.transmit(channel, apdu);
        expect(answer.length).toBeGreaterThanOrEqual(2);
        expect([0x90, 0x61, 0x67, 0x68, 0x69, 0x6a, 0x6d, 0x6e, 0x6f]).toContain(answer.at(-2));
      }),
      { numRuns: 500 },
    );
    expect(await modem.euicc.listProfiles()).toEqual(before);
    expect(card.openChannel('A000000087')).toBeNull(); // no such application
  });

  it('chains STORE DATA blocks, and hands a long answer out in parts with GET RESPONSE', async () => {
    const modem = new SimModem({ timing: instantTiming, flash: flashWith(6) });
    const card = modem.card;
    const channel = card.openChannel(isdRAid)!;
    const command = encodeRequest({ kind: 'setNickname', iccid: '8981100000000000013', nickname: 'Bench 3' });
    expect(toHex(await card.transmit(channel, storeData(channel, command.subarray(0, 5), 0x11, 0)))).toBe('9000');
    expect(toHex(await card.transmit(channel, storeData(channel, command.subarray(5), 0x91, 1)))).toBe('BF29038001009000');
    // a block out of order restarts the chain
    expect(toHex(await card.transmit(channel, storeData(channel, command, 0x91, 5)))).toBe('6A86');
    let answer = await card.transmit(channel, storeData(channel, encodeRequest({ kind: 'getProfilesInfo' })));
    const parts: Uint8Array[] = [];
    while (answer.at(-2) === 0x61) {
      parts.push(answer.subarray(0, -2));
      answer = await card.transmit(channel, new Uint8Array([0x80 | channel, 0xc0, 0, 0, answer.at(-1)!]));
    }
    parts.push(answer.subarray(0, -2));
    expect(parts.length).toBeGreaterThan(1);
    expect(toHex(answer.subarray(-2))).toBe('9000');
    const profiles = decodeProfiles(new Uint8Array(Buffer.concat(parts)));
    expect(profiles).toHaveLength(6);
    expect(profiles.find((p) => p.iccid === '8981100000000000013')?.nickname).toBe('Bench 3');
  });

  it('says plainly when a module reaches its eUICC neither by logical channels nor by +CSIM', async () => {
    const modem = new SimModem({ timing: instantTiming });
    const channel: AtChannel = new AtChannel((data) => setImmediate(() => port.receive(data)));
    const port: SimAtPort = new SimAtPort(modem, (data) => setImmediate(() => channel.receive(data)), { logicalChannels: false, csim: false });
    const at = await AtModem.open(channel);
    await expect(at.euicc.eid()).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/neither by logical channels .* nor by AT\+CSIM/),
    });
    port.close();
  });

  it('manages profiles over the AT port as lpac does: +CCHO on the ISD-R, ES10c in +CGLA, +CCHC', async () => {
    const modem = new SimModem({ timing: instantTiming, flash: flashWith(2) });
    const channel: AtChannel = new AtChannel((data) => setImmediate(() => port.receive(data)));
    const port: SimAtPort = new SimAtPort(modem, (data) => setImmediate(() => channel.receive(data)));
    await channel.command('ATE0');
    for (const test of ['AT+CCHO=?', 'AT+CCHC=?', 'AT+CGLA=?']) await expect(channel.command(test)).resolves.toEqual([]);
    const [opened] = await channel.command(`AT+CCHO="${isdRAid}"`);
    const id = Number(/^\+CCHO: (\d+)$/.exec(opened!)![1]);
    const es10 = async (r: Es10cRequest) => {
      const apdu = toHex(storeData(id, encodeRequest(r)));
      const [line] = await channel.command(`AT+CGLA=${id},${apdu.length},"${apdu}"`);
      const m = /^\+CGLA: (\d+),"([0-9A-F]+)"$/.exec(line!)!;
      expect(Number(m[1])).toBe(m[2]!.length);
      expect(m[2]!.slice(-4)).toBe('9000');
      return hex(m[2]!.slice(0, -4));
    };
    expect(decodeEid(await es10({ kind: 'getEid' }))).toBe(await modem.euicc.eid());
    expect(decodeChallenge(await es10({ kind: 'getEuiccChallenge' }))).toHaveLength(16);
    expect(decodeAddresses(await es10({ kind: 'getConfiguredAddresses' }))).toEqual({ defaultDpAddress: null, rootDsAddress: 'lpa.ds.gsma.com' });
    expect(decodeResult(await es10({ kind: 'setDefaultDpAddress', address: 'smdp.example:443' }), es10cTags.setDefaultDpAddress)).toBe(0);
    expect(decodeAddresses(await es10({ kind: 'getConfiguredAddresses' })).defaultDpAddress).toBe('smdp.example:443');
    expect(modem.flash().defaultDpAddress).toBe('smdp.example:443'); // (kept in the flash, as a card keeps it)
    expect(decodeProfiles(await es10({ kind: 'getProfilesInfo' })).map((p) => [p.iccid, p.state])).toEqual([
      ['8981100000000000010', 'enabled'],
      ['8981100000000000011', 'disabled'],
    ]);
    expect(decodeResult(await es10({ kind: 'disable', iccid: '8981100000000000011', refresh: true }), es10cTags.disable)).toBe(2); // already disabled
    expect(decodeResult(await es10({ kind: 'enable', iccid: '8981100000000000099', refresh: true }), es10cTags.enable)).toBe(1); // no such profile
    expect(decodeResult(await es10({ kind: 'delete', iccid: '8981100000000000010' }), es10cTags.delete)).toBe(2); // enabled
    expect(decodeResult(await es10({ kind: 'enable', iccid: '8981100000000000011', refresh: true }), es10cTags.enable)).toBe(0);
    expect((await modem.euicc.listProfiles()).map((p) => p.state)).toEqual(['disabled', 'enabled']);
    expect(decodeResult(await es10({ kind: 'delete', iccid: '8981100000000000010' }), es10cTags.delete)).toBe(0);
    expect((await modem.euicc.listProfiles()).map((p) => p.iccid)).toEqual(['8981100000000000011']);
    await channel.command(`AT+CCHC=${id}`);
    await channel.command('AT+CMEE=1');
    await expect(channel.command(`AT+CGLA=${id},6,"80E2"`)).rejects.toMatchObject({ cmeError: 50 }); // a length that is not the hex's
    const apdu = toHex(storeData(id, encodeRequest({ kind: 'getProfilesInfo' })));
    // the session is closed: its <sessionid> names nothing any more
    await expect(channel.command(`AT+CGLA=${id},${apdu.length},"${apdu}"`)).rejects.toMatchObject({ cmeError: 50 });
    port.close();
  });
});
