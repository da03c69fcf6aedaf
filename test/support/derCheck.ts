import { ASN1 } from '@lapo/asn1js';

/**
 * An independent look at SGP.22 and TCA bytes: @lapo/asn1js (not the asn1js the codec is built on)
 * parses them, and the rules of DER (X.690 §10–11) that a lenient BER reader lets pass are checked:
 * definite, minimal lengths; BIT STRINGs with zero unused bits and no trailing zero byte; nothing
 * after the element. Returns the element's shape as a tree of tags (hex, as the specs write them)
 * for the caller to compare with the structure the spec defines; throws on any breach.
 */
export interface Shape {
  tag: string;
  children?: Shape[];
}

/** `bitStrings`: the tags (hex) of implicitly tagged BIT STRINGs to check like universal ones ('03'). */
export function derShape(bytes: Uint8Array, bitStrings: string[] = []): Shape {
  const element = ASN1.decode(bytes);
  if (element.posEnd() !== bytes.length) throw new Error(`${bytes.length - element.posEnd()} bytes after the element`);
  return shapeOf(element, bytes, new Set(['03', ...bitStrings]));
}

function shapeOf(element: ASN1, bytes: Uint8Array, bitStrings: Set<string>): Shape {
  const start = element.posStart();
  const content = element.posContent();
  if (element.length < 0) throw new Error(`indefinite length at ${start}`);
  const tagBytes = [...bytes.subarray(start, content)];
  // (the header is the tag bytes then the length bytes: the length must take the fewest)
  const lengthBytes = tagBytes.slice(tagLength(tagBytes));
  const minimal = element.length < 0x80 ? 1 : 1 + Math.ceil(Math.log2(element.length + 1) / 8);
  if (lengthBytes.length !== minimal) throw new Error(`length of ${element.length} in ${lengthBytes.length} bytes at ${start}`);
  const tag = tagBytes
    .slice(0, tagLength(tagBytes))
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
  if (bitStrings.has(tag)) checkBitString(bytes.subarray(content, content + element.length), start);
  if (!element.tag.tagConstructed) return { tag };
  return { tag, children: (element.sub ?? []).map((sub) => shapeOf(sub, bytes, bitStrings)) };
}

function tagLength(header: number[]): number {
  if ((header[0]! & 0x1f) !== 0x1f) return 1;
  let n = 1;
  while (header[n]! & 0x80) n++;
  return n + 1;
}

/** A BIT STRING's content as DER has it: unused bits 0–7, zero, and (for named bits) no trailing zero byte. */
function checkBitString(content: Uint8Array, at: number): void {
  const unused = content[0] ?? -1;
  if (unused < 0 || unused > 7 || (content.length === 1 && unused !== 0)) throw new Error(`BIT STRING with ${unused} unused bits at ${at}`);
  const last = content[content.length - 1]!;
  if (content.length > 1 && (last & ((1 << unused) - 1)) !== 0) throw new Error(`BIT STRING's unused bits are not zero at ${at}`);
  if (content.length > 1 && last === 0) throw new Error(`BIT STRING with a trailing zero byte at ${at}`);
}

/** The tags of a shape's children, in order. */
export const tagsOf = (shape: Shape | undefined) => (shape?.children ?? []).map((c) => c.tag);
