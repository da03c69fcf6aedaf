import { child, concat, decodeTlvs, encodeTlv, iccidToBytes, integer, text, type Tlv } from '../es10/tlv';

/**
 * The profile package in the TCA eUICC Profile Package interoperable format (SIMalliance "SAIP",
 * PEDefinitions v2.3, AUTOMATIC TAGS): a sequence of ProfileElements, each a context tag of the
 * ProfileElement CHOICE. What the bench needs of it: the SM-DP+ makes a small valid profile (a
 * header, an MF, a USIM with its IMSI, the end), and the eUICC reads the header's ICCID and the
 * USIM's IMSI from any profile, a third party's included. Pure bytes.
 */

/** ProfileElement's CHOICE tags (constructed, context-specific: [0] header … [16] mf … [19] usim). */
export const profileElementTags = { header: 0xa0, genericFileManagement: 0xa1, end: 0xaa, mf: 0xb0, usim: 0xb3 } as const;

/** The template OIDs of the MF and the USIM (TCA, 2.23.143.1.2.x), as eUICC-Mandatory-GFSTEList names them. */
const templates = { mf: '2.23.143.1.2.1', usim: '2.23.143.1.2.4' } as const;

/**
 * The ICCID as ProfileHeader.iccid carries it: the digits in order, F-padded to 10 bytes (GSMA TS.48
 * test profiles: 8949449999999990049 → 89 49 44 99 99 99 99 90 04 9F). Not the nibble-swapped form
 * of EF.ICCID and of SGP.22's ICCID ('5A').
 */
export function headerIccid(iccid: string): Uint8Array {
  const hex = iccid.padEnd(20, 'F');
  return Uint8Array.from({ length: 10 }, (_, i) => Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

/** The digits of ProfileHeader.iccid; null for anything but 10 bytes of digits then F padding. */
export function iccidOfHeader(bytes: Uint8Array | undefined): string | null {
  if (bytes?.length !== 10) return null;
  const digits = [...bytes]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase()
    .replace(/F+$/, '');
  return /^\d{18,20}$/.test(digits) ? digits : null;
}

/** What the eUICC learns from a package: the header's ICCID, and the IMSI its USIM is given (null: none in the package). */
export interface ProfilePackageFacts {
  iccid: string | null;
  imsi: string | null;
}

/** Reads the header's ICCID and the USIM's EF.IMSI from a profile package; nulls where they are missing or malformed. */
export function readProfilePackage(profile: Uint8Array): ProfilePackageFacts {
  let elements: Tlv[];
  try {
    elements = decodeTlvs(profile);
  } catch {
    return { iccid: null, imsi: null };
  }
  const header = elements[0]?.tag === profileElementTags.header ? elements[0] : undefined;
  const usim = elements.find((e) => e.tag === profileElementTags.usim);
  // PE-USIM's ef-imsi is its [3]; a File is a SEQUENCE OF CHOICE whose fillFileContent is [3]
  const imsiFile = usim && child(usim, 0xa3);
  return { iccid: iccidOfHeader(header && child(header, 0x83)?.value), imsi: imsiFromEf(imsiFile && child(imsiFile, 0x83)?.value) };
}

/** EF.IMSI (3GPP TS 31.102 §4.2.2): a length byte, then the digits as nibbles after a parity nibble, F-filled. */
export function imsiFromEf(content: Uint8Array | undefined): string | null {
  if (!content || content.length < 2 || content[0]! < 1 || content[0]! > 8) return null;
  const nibbles = [...content.subarray(1, 1 + content[0]!)].flatMap((b) => [b & 0x0f, b >> 4]).slice(1);
  const digits = nibbles.filter((n) => n !== 0x0f);
  return digits.every((n) => n <= 9) && digits.length >= 6 && digits.length <= 15 ? digits.join('') : null;
}

/** EF.IMSI's content for `imsi` (6 to 15 digits). */
export function efImsi(imsi: string): Uint8Array {
  const digits = imsi.split('').map(Number);
  // the first nibble: parity (odd count: 9, even: 1) with the '001' type of identity
  const nibbles = [digits.length % 2 === 1 ? 0x9 : 0x1, ...digits];
  if (nibbles.length % 2 === 1) nibbles.push(0xf);
  const bytes = Array.from({ length: nibbles.length / 2 }, (_, i) => nibbles[2 * i]! | (nibbles[2 * i + 1]! << 4));
  return Uint8Array.from([bytes.length, ...bytes, ...Array<number>(8 - bytes.length).fill(0xff)]);
}

/**
 * A small profile as an SM-DP+ would make it: ProfileHeader (version 2.3, the profile type, the
 * ICCID, the USIM as a mandated service, the MF and USIM templates in eUICC-Mandatory-GFSTEList);
 * PE-MF with EF.ICCID and EF.DIR (the USIM's AID); PE-USIM with EF.IMSI, EF.SPN and EF.ACC, the
 * rest of its files the template's; a PE-GenericFileManagement that fills a file under the MF so
 * that the whole takes `size` bytes; PE-End.
 */
export function makeProfile(p: { iccid: string; imsi: string; profileName: string; serviceProviderName: string; size: number }): Uint8Array {
  let id = 0;
  const peHeader = (): Tlv => ({
    tag: 0xa0,
    children: [
      { tag: 0x80, value: new Uint8Array(0) },
      { tag: 0x81, value: integer(++id) },
    ],
  });
  const file = (tag: number, content?: Uint8Array): Tlv => ({ tag, children: content ? [{ tag: 0x83, value: content }] : [] });
  const header: Tlv = {
    tag: profileElementTags.header,
    children: [
      { tag: 0x80, value: integer(2) }, // major-version
      { tag: 0x81, value: integer(3) }, // minor-version
      { tag: 0x82, value: text(p.profileName) }, // profileType
      { tag: 0x83, value: headerIccid(p.iccid) },
      { tag: 0xa5, children: [{ tag: 0x81, value: new Uint8Array(0) }] }, // eUICC-Mandatory-services: usim
      { tag: 0xa6, children: [oid(templates.mf), oid(templates.usim)] }, // eUICC-Mandatory-GFSTEList
    ],
  };
  const usimAid = Uint8Array.from([0xa0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0xff, 0x81, 0xff, 0xff, 0x89]);
  const dirRecord = encodeTlv({
    tag: 0x61,
    children: [
      { tag: 0x4f, value: usimAid },
      { tag: 0x50, value: text('USIM') },
    ],
  });
  const mf: Tlv = {
    tag: profileElementTags.mf,
    children: [
      peHeader(),
      { tag: 0x81, value: oid(templates.mf).value! }, // templateID
      {
        tag: 0xa2,
        children: [
          {
            tag: 0xa1,
            children: [
              { tag: 0x8b, value: Uint8Array.of(0x2f, 0x06, 0x01) },
              { tag: 0xc6, value: Uint8Array.of(0x01, 0x0a) },
            ],
          },
        ],
      }, // mf
      file(0xa4, iccidToBytes(p.iccid)), // ef-iccid (nibble-swapped, TS 102 221)
      file(0xa5, pad(dirRecord, 33)), // ef-dir: one record of the template's 33 bytes
      file(0xa6), // ef-arr: the template's
    ],
  };
  const spn = pad(Uint8Array.from([0x01, ...text(p.serviceProviderName.slice(0, 16))]), 17);
  const usim: Tlv = {
    tag: profileElementTags.usim,
    children: [
      peHeader(),
      { tag: 0x81, value: oid(templates.usim).value! },
      {
        tag: 0xa2,
        children: [
          {
            tag: 0xa1,
            children: [
              { tag: 0x83, value: Uint8Array.of(0x7f, 0xd0) },
              { tag: 0x84, value: usimAid },
              { tag: 0xc6, value: Uint8Array.of(0x01, 0x81) },
            ],
          },
        ],
      }, // adf-usim
      file(0xa3, efImsi(p.imsi)), // ef-imsi
      file(0xa4), // ef-arr
      file(0xa8), // ef-ust
      file(0xad, spn), // ef-spn
      file(0xae), // ef-est
      file(0xb2, Uint8Array.of(0x00, 0x01 << (Number(p.imsi.at(-1)) % 8))), // ef-acc: the access class of the IMSI's last digit
      file(0xb6), // ef-ecc
    ],
  };
  const end: Tlv = { tag: profileElementTags.end, children: [peHeader()] };
  const fixed = [header, mf, usim, end].reduce((n, pe) => n + encodeTlv(pe).length, 0);
  // (an operator's file under the MF, 2F50, transparent, its content what is left of `size`)
  const room = Math.max(1, p.size - fixed - 40);
  const filler: Tlv = {
    tag: profileElementTags.genericFileManagement,
    children: [
      peHeader(),
      {
        tag: 0xa1,
        children: [
          {
            tag: 0x30,
            children: [
              { tag: 0x80, value: new Uint8Array(0) }, // filePath: the MF
              {
                tag: 0x62,
                children: [
                  { tag: 0x82, value: Uint8Array.of(0x41, 0x21) },
                  { tag: 0x83, value: Uint8Array.of(0x2f, 0x50) },
                  { tag: 0x8b, value: Uint8Array.of(0x2f, 0x06, 0x03) },
                  { tag: 0x80, value: minimal(room) },
                ],
              }, // createFCP (efFileSize: no leading zero byte)
              { tag: 0x81, value: new Uint8Array(room).map((_, i) => i % 251) }, // fillFileContent
            ],
          },
        ],
      },
    ],
  };
  return concat([header, mf, usim, filler, end].map((pe) => encodeTlv(pe)));
}

/** An OBJECT IDENTIFIER element from its dotted form (arcs below 2^28). */
function oid(dotted: string): Tlv {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const arcs = [first! * 40 + second!, ...rest];
  const bytes = arcs.flatMap((arc) => {
    const out = [arc & 0x7f];
    for (let n = arc >> 7; n > 0; n >>= 7) out.unshift((n & 0x7f) | 0x80);
    return out;
  });
  return { tag: 0x06, value: Uint8Array.from(bytes) };
}

function minimal(n: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Uint8Array.from(bytes.length > 0 ? bytes : [0]);
}

function pad(bytes: Uint8Array, length: number): Uint8Array {
  return Uint8Array.from([...bytes, ...Array<number>(Math.max(0, length - bytes.length)).fill(0xff)]);
}
