import { encodeTlv, iccidToBytes, integer, text, type Tlv } from '../../shared/es10/tlv';
import { concat } from '../../shared/es10/tlv';

/**
 * A profile in the SIMalliance / TCA eUICC Profile Package interoperable format (v2.3), as small as
 * a profile can be: its ProfileHeader (PE-Header, A0: version 2.3, the profile type, the ICCID and
 * the mandated services), one PE-GenericFileManagement (BC) whose file content takes the order's
 * size, and PE-End (AA). The eUICC checks the header's ICCID against the metadata.
 */
export function makeProfile(profile: { iccid: string; profileName: string; size: number }): Uint8Array {
  const head: Tlv = {
    tag: 0xa0,
    children: [
      { tag: 0x80, value: new Uint8Array([2]) }, // major-version
      { tag: 0x81, value: new Uint8Array([3]) }, // minor-version
      { tag: 0x82, value: text(profile.profileName) }, // profileType
      { tag: 0x83, value: iccidToBytes(profile.iccid) },
      { tag: 0xa5, children: [{ tag: 0x81, value: new Uint8Array(0) }] }, // eUICC-Mandatory-services: usim
    ],
  };
  const end: Tlv = { tag: 0xaa, children: [{ tag: 0xa0, children: [{ tag: 0x81, value: integer(3) }] }] };
  const fixed = encodeTlv(head).length + encodeTlv(end).length + 16;
  const content = new Uint8Array(Math.max(0, profile.size - fixed)).map((_, i) => i % 251);
  const files: Tlv = {
    tag: 0xbc,
    children: [
      { tag: 0xa0, children: [{ tag: 0x81, value: integer(2) }] }, // gfm-header: identification
      { tag: 0xa1, children: [{ tag: 0x30, children: [{ tag: 0x82, value: content }] }] }, // fileManagementCMD: fillFileContent
    ],
  };
  return concat([encodeTlv(head), encodeTlv(files), encodeTlv(end)]);
}
