import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issue, loadIdentity } from '../../shared/rsp/pki';
import { testPki } from '../../shared/rsp/testPki';
import { SimModem } from '../../hardware/modem/sim/simModem';
import type { SimCard } from '../../hardware/modem/sim/card';
import { instantTiming } from '../../hardware/modem/sim/timing';
import { es10bTags } from '../../shared/es10/es10b';
import { es10cTags, isdRAid, toHex } from '../../shared/es10/es10c';
import { encodeTlv } from '../../shared/es10/tlv';
import { headerIccid, iccidOfHeader, imsiFromEf, makeProfile, readProfilePackage } from '../../shared/saip/profilePackage';
import { derShape, tagsOf } from '../support/derCheck';
import { testSmdp } from '../support/testSmdp';

/**
 * The bytes the simulated eUICC and the SM-DP+ write, read by another ASN.1 library than the one
 * the codec is built on, against the structures SGP.22 (Annex H) and the TCA profile package define:
 * valid DER, and the elements each structure has, in their order.
 */
async function ask(card: SimCard, channel: number, command: Uint8Array): Promise<Uint8Array> {
  const blocks = Math.max(1, Math.ceil(command.length / 255));
  let answer: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < blocks; i++) {
    const block = command.subarray(i * 255, (i + 1) * 255);
    answer = await card.transmit(channel, Uint8Array.from([0x80 | channel, 0xe2, i === blocks - 1 ? 0x91 : 0x11, i, block.length, ...block]));
  }
  let data: Uint8Array = answer.subarray(0, -2);
  while (answer.at(-2) === 0x61) {
    answer = await card.transmit(channel, Uint8Array.from([0x80 | channel, 0xc0, 0, 0, answer.at(-1)!]));
    data = Uint8Array.from([...data, ...answer.subarray(0, -2)]);
  }
  expect(toHex(answer.subarray(-2))).toBe('9000');
  return data;
}

describe('the simulated eUICC’s answers, read independently', () => {
  it('EUICCInfo1 and EUICCInfo2 are DER, with every capability a BIT STRING of zero unused bits', async () => {
    const modem = new SimModem({ timing: instantTiming });
    const channel = modem.card.openChannel(isdRAid)!;
    const info1 = derShape(await ask(modem.card, channel, encodeTlv({ tag: es10bTags.euiccInfo1, children: [] })));
    expect(info1.tag).toBe('BF20');
    expect(tagsOf(info1)).toEqual(['82', 'A9', 'AA']);
    // (uiccCapability [5] and rspCapability [8] are BIT STRINGs: their DER rules are checked too)
    const info2 = derShape(await ask(modem.card, channel, encodeTlv({ tag: es10bTags.euiccInfo2, children: [] })), ['85', '88']);
    expect(info2.tag).toBe('BF22');
    expect(tagsOf(info2)).toEqual(['81', '82', '83', '84', '85', '87', '88', 'A9', 'AA', '8B', '04', '0C']);
  });

  it('GetProfilesInfo names each profile’s ISD-P, the one its install result names, and keeps to a tag list', async () => {
    const modem = new SimModem({ timing: instantTiming });
    const result = await testSmdp().then((smdp) => smdp.download(modem, { iccid: '8981100000000000017' }));
    expect(result).toMatchObject({ iccid: '8981100000000000017' });
    const channel = modem.card.openChannel(isdRAid)!;
    const all = derShape(await ask(modem.card, channel, encodeTlv({ tag: es10cTags.getProfilesInfo, children: [] })));
    expect(all.tag).toBe('BF2D');
    const [info] = all.children![0]!.children!;
    expect(info!.tag).toBe('E3');
    expect(tagsOf(info)).toEqual(['5A', '4F', '9F70', '91', '92', '95']);
    const listed = await ask(modem.card, channel, encodeTlv({ tag: es10cTags.getProfilesInfo, children: [] }));
    const aid = toHex(listed).match(/4F10([0-9A-F]{32})/)![1];
    // The install result's notification names the same ISD-P.
    const pending = await ask(modem.card, channel, encodeTlv({ tag: es10bTags.retrieveNotifications, children: [] }));
    const notifications = derShape(pending, ['81']);
    expect(notifications.tag).toBe('BF2B');
    const installResult = notifications.children![0]!.children![0]!;
    expect(installResult.tag).toBe('BF37');
    expect(tagsOf(installResult)).toEqual(['BF27', '5F37']);
    expect(tagsOf(installResult.children![0])).toEqual(['80', 'BF2F', '06', 'A2']);
    expect(toHex(pending)).toContain(`4F10${aid}`);
    // A tag list, and a search by ICCID.
    const narrow = await ask(
      modem.card,
      channel,
      Uint8Array.from([0xbf, 0x2d, 0x14, 0xa0, 0x0c, 0x5a, 0x0a, 0x98, 0x18, 0x01, 0, 0, 0, 0, 0, 0x10, 0xf7, 0x5c, 0x04, 0x5a, 0x4f, 0x9f, 0x70]),
    );
    expect(tagsOf(derShape(narrow).children![0]!.children![0])).toEqual(['5A', '4F', '9F70']);
    const none = await ask(modem.card, channel, Uint8Array.from([0xbf, 0x2d, 0x0e, 0xa0, 0x0c, 0x5a, 0x0a, 0x98, 0x18, 0x01, 0, 0, 0, 0, 0, 0x20, 0xf7]));
    expect(tagsOf(derShape(none).children![0])).toEqual([]);
  });
});

describe('the SM-DP+’s TLS certificate', () => {
  it('names itself "Test SM-DP+ (TLS)", its + escaped rather than read as a second attribute', async () => {
    const tls = await issue(await loadIdentity(testPki.ci), { role: 'dpTls', hosts: ['127.0.0.1'] });
    expect(tls.certificate.subjectName.getField('CN')).toEqual(['Test SM-DP+ (TLS)']);
    // (OpenSSL's reading: one CN, the + escaped in its text form)
    expect(new X509Certificate(tls.der).subject.split('\n')).toEqual(['CN=Test SM-DP\\+ (TLS)', 'O=iDrive bench TEST ONLY']);
  });
});

describe('the profile package, read independently', () => {
  it('is the TCA format: a header with its mandatory lists, PE-MF, PE-USIM, a file management element and PE-End', () => {
    const profile = makeProfile({
      iccid: '8981100000000000017',
      imsi: '440100000000001',
      profileName: 'One Number',
      serviceProviderName: 'NTT DOCOMO',
      size: 4_000,
    });
    const elements: string[] = [];
    const shapes = [];
    for (let at = 0; at < profile.length;) {
      const [first, second] = [profile[at]!, profile[at + 1]!];
      const length = second < 0x80 ? second : [...profile.subarray(at + 2, at + 2 + (second & 0x7f))].reduce((n, b) => n * 256 + b, 0);
      const end = at + 2 + (second < 0x80 ? 0 : second & 0x7f) + length;
      const shape = derShape(profile.subarray(at, end));
      elements.push(shape.tag);
      shapes.push(shape);
      expect(first).toBe(Number.parseInt(shape.tag, 16));
      at = end;
    }
    expect(elements).toEqual(['A0', 'B0', 'B3', 'A1', 'AA']);
    // ProfileHeader: major, minor, profileType, iccid, eUICC-Mandatory-services, eUICC-Mandatory-GFSTEList
    expect(tagsOf(shapes[0])).toEqual(['80', '81', '82', '83', 'A5', 'A6']);
    // PE-MF: mf-header, templateID, mf, ef-iccid, ef-dir, ef-arr; PE-USIM's mandatory files
    expect(tagsOf(shapes[1])).toEqual(['A0', '81', 'A2', 'A4', 'A5', 'A6']);
    expect(tagsOf(shapes[2])).toEqual(['A0', '81', 'A2', 'A3', 'A4', 'A8', 'AD', 'AE', 'B2', 'B6']);
    expect(profile.length).toBeGreaterThanOrEqual(4_000 - 64);
    expect(readProfilePackage(profile)).toEqual({ iccid: '8981100000000000017', imsi: '440100000000001' });
  });

  it('carries the header ICCID in plain digits, F-padded, as GSMA TS.48 test profiles do', () => {
    expect(toHex(headerIccid('8949449999999990049'))).toBe('8949449999999990049F');
    expect(iccidOfHeader(Uint8Array.from([0x89, 0x49, 0x44, 0x99, 0x99, 0x99, 0x99, 0x90, 0x04, 0x9f]))).toBe('8949449999999990049');
    // EF.IMSI of TS.48 (001 01 0123456789): 08 09 10 10 10 32 54 76 98
    expect(imsiFromEf(Uint8Array.from([0x08, 0x09, 0x10, 0x10, 0x10, 0x32, 0x54, 0x76, 0x98]))).toBe('001010123456789');
  });
});
