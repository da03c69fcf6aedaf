// The parts of @lapo/asn1js (a generic BER/DER decoder, independent of asn1js) the DER checks use.
declare module '@lapo/asn1js' {
  export class ASN1 {
    static decode(bytes: Uint8Array | number[], offset?: number): ASN1;
    tag: { tagClass: number; tagConstructed: boolean; tagNumber: number };
    header: number;
    length: number;
    sub: ASN1[] | null;
    stream: { pos: number; enc: Uint8Array | number[] };
    posStart(): number;
    posContent(): number;
    posEnd(): number;
  }
}
