import * as asn1js from 'asn1js';

/**
 * A BER-TLV element as SGP.22's ES10 functions use them, named by the tag's bytes as the spec
 * writes them (0xBF3E GetEuiccDataRequest, 0x5A EID or ICCID, 0x9F70 profileState, 0xE3
 * ProfileInfo, …): primitive with a value, or constructed with children. Encoding and decoding
 * go through asn1js; this layer only maps tags and keeps the tree plain.
 */
export interface Tlv {
  tag: number;
  value?: Uint8Array;
  children?: Tlv[];
  /** (on decoded elements, not enumerable) the element's bytes as received: what a signature covers */
  readonly der?: Uint8Array;
}

/** A command or answer whose bytes are not BER-TLV (truncated, lengths that disagree, trailing bytes). */
export class TlvError extends Error {}

const classOf = [1, 2, 3, 4] as const; // universal, application, context, private (asn1js numbering)

function split(tag: number): { tagClass: number; constructed: boolean; tagNumber: number } {
  const bytes: number[] = [];
  for (let t = tag; t > 0; t = Math.floor(t / 256)) bytes.unshift(t % 256);
  const first = bytes[0] ?? 0;
  const tagClass = classOf[first >> 6]!;
  const constructed = (first & 0x20) !== 0;
  if ((first & 0x1f) !== 0x1f) return { tagClass, constructed, tagNumber: first & 0x1f };
  let tagNumber = 0;
  for (const b of bytes.slice(1)) tagNumber = tagNumber * 128 + (b & 0x7f);
  return { tagClass, constructed, tagNumber };
}

function join(tagClass: number, constructed: boolean, tagNumber: number): number {
  const first = ((tagClass - 1) << 6) | (constructed ? 0x20 : 0);
  if (tagNumber < 31) return first | tagNumber;
  const rest: number[] = [];
  for (let n = tagNumber; ; n = Math.floor(n / 128)) {
    rest.unshift((n % 128) | (rest.length > 0 ? 0x80 : 0));
    if (n < 128) break;
  }
  return [first | 0x1f, ...rest].reduce((acc, b) => acc * 256 + b, 0);
}

function toAsn1(tlv: Tlv): asn1js.BaseBlock {
  const { tagClass, constructed, tagNumber } = split(tlv.tag);
  if (constructed) return new asn1js.Constructed({ idBlock: { tagClass, tagNumber }, value: (tlv.children ?? []).map(toAsn1) });
  return new asn1js.Primitive({ idBlock: { tagClass, tagNumber }, valueHex: tlv.value ?? new Uint8Array(0) });
}

function fromAsn1(block: asn1js.AsnType): Tlv {
  const { tagClass, tagNumber, isConstructed } = block.idBlock;
  const tag = join(tagClass, isConstructed, tagNumber);
  const children = (block.valueBlock as unknown as { value?: unknown }).value;
  // (a constructed universal string, BER's segmented OCTET STRING, is no element SGP.22 has)
  if (isConstructed && !Array.isArray(children)) throw new TlvError(`a constructed ${tagNumber} where SGP.22 has none`);
  const tlv: Tlv = isConstructed
    ? { tag, children: (children as asn1js.AsnType[]).map(fromAsn1) }
    : // (the content octets as they came: asn1js reads universal types, such as a BIT STRING's unused-bits byte, into their own shape)
      { tag, value: new Uint8Array(block.valueBeforeDecodeView.subarray(block.idBlock.blockLength + block.lenBlock.blockLength)) };
  return Object.defineProperty(tlv, 'der', { value: new Uint8Array(block.valueBeforeDecodeView), enumerable: false });
}

export function encodeTlv(tlv: Tlv): Uint8Array {
  return new Uint8Array(toAsn1(tlv).toBER());
}

/**
 * asn1js's reading of BER: its own refusals as TlvError, and so what it throws reading a universal
 * type's content (a malformed GeneralizedTime, say), so that no input gets past the codec as
 * anything but a TlvError.
 */
function fromBer(bytes: Uint8Array): ReturnType<typeof asn1js.fromBER> {
  try {
    return asn1js.fromBER(bytes);
  } catch (error) {
    throw new TlvError(`not BER-TLV: ${(error as Error).message}`);
  }
}

/** One element filling `bytes` exactly; throws TlvError for anything else. */
export function decodeTlv(bytes: Uint8Array): Tlv {
  const parsed = fromBer(bytes);
  if (parsed.offset === -1 || parsed.offset !== bytes.length) throw new TlvError(parsed.result.error || 'trailing bytes after the element');
  return fromAsn1(parsed.result);
}

/** An element's bytes: as received when it was decoded, else encoded (DER, so both agree for DER input). */
export function derOf(tlv: Tlv): Uint8Array {
  return tlv.der ?? encodeTlv(tlv);
}

/** Several elements back to back (a SEQUENCE's content, a run of segments); throws TlvError if they do not fill `bytes`. */
export function decodeTlvs(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < bytes.length;) {
    const parsed = fromBer(bytes.subarray(at));
    if (parsed.offset === -1) throw new TlvError(parsed.result.error || 'not BER-TLV');
    out.push(fromAsn1(parsed.result));
    at += parsed.offset;
  }
  return out;
}

/** A non-negative INTEGER's content octets, as short as DER allows. */
export function integer(n: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = n; ; v = Math.floor(v / 256)) {
    bytes.unshift(v % 256);
    if (v < 256) break;
  }
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return new Uint8Array(bytes);
}

/** An INTEGER's content octets as a number (unsigned, up to 6 bytes); throws TlvError for anything else. */
export function fromInteger(bytes: Uint8Array | undefined): number {
  if (!bytes || bytes.length === 0 || bytes.length > 6) throw new TlvError('an INTEGER of 1 to 6 bytes');
  return [...bytes].reduce((acc, b) => acc * 256 + b, 0);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The first child with `tag`, or undefined. */
export function child(tlv: Tlv, tag: number): Tlv | undefined {
  return tlv.children?.find((c) => c.tag === tag);
}

/** An ICCID as the eUICC stores it: BCD with each pair of digits swapped, padded with F (SGP.22 Iccid). */
export function iccidToBytes(iccid: string): Uint8Array {
  const digits = iccid.padEnd(20, 'F');
  return new Uint8Array(Array.from({ length: 10 }, (_, i) => Number.parseInt(digits[2 * i + 1]! + digits[2 * i]!, 16)));
}

export function iccidFromBytes(bytes: Uint8Array): string {
  return [...bytes]
    .map((b) => (b & 0x0f).toString(16) + (b >> 4).toString(16))
    .join('')
    .replace(/f+$/i, '')
    .toUpperCase();
}

export const text = (value: string) => new TextEncoder().encode(value);
export const fromText = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array(0));

/** tag + DER length + content, for content that is already DER (certificates, signed parts). */
export function wrap(tag: number, content: Uint8Array): Uint8Array {
  const tagBytes: number[] = [];
  for (let t = tag; t > 0; t = Math.floor(t / 256)) tagBytes.unshift(t % 256);
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return concat([Uint8Array.from([...tagBytes, ...length]), content]);
}

/**
 * A named BIT STRING's DER content (X.690 §11.2.2): the unused-bits count, then the bits with bit 0
 * the first byte's most significant; trailing zero bits are left out, and the unused ones are zero.
 */
export function namedBits(bits: readonly number[]): Uint8Array {
  if (bits.length === 0) return Uint8Array.of(0);
  const last = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(last / 8) + 1);
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  return Uint8Array.from([7 - (last & 7), ...bytes]);
}
