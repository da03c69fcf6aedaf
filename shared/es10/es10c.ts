import { child, decodeTlv, encodeTlv, fromText, iccidFromBytes, iccidToBytes, integer, text, TlvError, type Tlv } from './tlv';
import { profileClasses, type ProfileClass } from '../esim';

/**
 * SGP.22 ES10c (local profile management) in BER-TLV, as an LPA sends it to the ISD-R in STORE
 * DATA and the eUICC answers: GetEuiccData for the EID (0xBF3E), GetProfilesInfo (0xBF2D),
 * EnableProfile (0xBF31), DisableProfile (0xBF32), DeleteProfile (0xBF33) and SetNickname (0xBF29).
 * One codec for both sides: the car's LPA encodes requests and decodes answers, the simulated card
 * the other way round.
 */

/** The ISD-R's application identifier (SGP.22 §2.2.3), which the LPA selects on a logical channel. */
export const isdRAid = 'A0000005591010FFFFFFFF8900000100';

export type Es10cRequest =
  | { kind: 'getEid' }
  /** ProfileInfoListRequest: a search criterion (A0: 5A ICCID, 4F ISD-P AID or 95 class) and a tag list (5C), both optional */
  | { kind: 'getProfilesInfo'; search?: ProfileSearch; tags?: number[] }
  | { kind: 'enable' | 'disable'; iccid: string; refresh: boolean }
  | { kind: 'delete'; iccid: string }
  | { kind: 'setNickname'; iccid: string; nickname: string }
  /** ES10b ListNotification (0xBF28) and RemoveNotificationFromList (0xBF30), the ES10b functions here */
  | { kind: 'listNotifications' }
  | { kind: 'removeNotification'; seqNumber: number }
  /** ES10a GetEuiccConfiguredAddresses (0xBF3C), SetDefaultDpAddress (0xBF3F); ES10b GetEUICCChallenge (0xBF2E) */
  | { kind: 'getConfiguredAddresses' }
  | { kind: 'setDefaultDpAddress'; address: string }
  | { kind: 'getEuiccChallenge' };

export interface ProfileInfo {
  iccid: string;
  state: 'enabled' | 'disabled';
  nickname: string | null;
  serviceProviderName: string;
  profileName: string;
  /** SGP.22 profileClass (default operational) */
  profileClass?: ProfileClass;
  /** the ISD-P that holds the profile, hex (see {@link isdPAid}) */
  isdpAid?: string;
}

/** GetProfilesInfo's searchCriteria: one profile by ICCID or ISD-P AID (hex), or a class. */
export type ProfileSearch = { iccid: string } | { isdpAid: string } | { profileClass: ProfileClass };

/** ProfileInfo's elements in their ASN.1 order (§5.7.15), as a tag list names them: what this eUICC answers of them. */
export const profileInfoTags = {
  iccid: 0x5a,
  isdpAid: 0x4f,
  profileState: 0x9f70,
  nickname: 0x90,
  serviceProviderName: 0x91,
  profileName: 0x92,
  profileClass: 0x95,
} as const;

/**
 * The AID of the ISD-P that holds a profile: one ISD-P per profile, named as SGP.02 does
 * (A0000005591010FFFFFFFF89 and four bytes, here the ICCID's last four).
 */
export function isdPAid(iccid: string): Uint8Array {
  return Uint8Array.from([0xa0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xff, 0xff, 0xff, 0xff, 0x89, ...iccidToBytes(iccid).subarray(6, 10)]);
}

/** The answers' result codes (SGP.22 §5.7.16–5.7.21): 0 ok, 1 not found, 2 wrong state, 127 undefined. */
export const resultCodes = { ok: 0, notFound: 1, wrongState: 2, undefined: 127 } as const;

export const es10cTags = {
  getEid: 0xbf3e,
  getProfilesInfo: 0xbf2d,
  enable: 0xbf31,
  disable: 0xbf32,
  delete: 0xbf33,
  setNickname: 0xbf29,
  listNotifications: 0xbf28,
  removeNotification: 0xbf30,
  getConfiguredAddresses: 0xbf3c,
  setDefaultDpAddress: 0xbf3f,
  getEuiccChallenge: 0xbf2e,
} as const;

/** A pending notification's metadata (SGP.22 NotificationMetadata, 0xBF2F). */
export interface NotificationMetadata {
  seqNumber: number;
  event: 'install' | 'enable' | 'disable' | 'delete';
  notificationAddress: string;
  iccid: string;
}

/** profileManagementOperation, a BIT STRING: install is bit 0, enable 1, disable 2, delete 3. */
const eventBits = { install: 0x80, enable: 0x40, disable: 0x20, delete: 0x10 } as const;

/** A request that is BER-TLV but not an ES10c function this codec knows (the card answers 6A88). */
export class UnknownFunctionError extends Error {}

export function encodeRequest(request: Es10cRequest): Uint8Array {
  switch (request.kind) {
    case 'getEid':
      return encodeTlv({ tag: es10cTags.getEid, children: [{ tag: 0x5c, value: new Uint8Array([0x5a]) }] });
    case 'getProfilesInfo':
      return encodeTlv({
        tag: es10cTags.getProfilesInfo,
        children: [...(request.search ? [searchCriteria(request.search)] : []), ...(request.tags ? [{ tag: 0x5c, value: tagBytes(request.tags) }] : [])],
      });
    case 'enable':
    case 'disable':
      return encodeTlv({
        tag: es10cTags[request.kind],
        children: [
          { tag: 0xa0, children: [{ tag: 0x5a, value: iccidToBytes(request.iccid) }] },
          { tag: 0x81, value: new Uint8Array([request.refresh ? 0xff : 0x00]) },
        ],
      });
    case 'delete':
      return encodeTlv({ tag: es10cTags.delete, children: [{ tag: 0x5a, value: iccidToBytes(request.iccid) }] });
    case 'setNickname':
      return encodeTlv({
        tag: es10cTags.setNickname,
        children: [
          { tag: 0x5a, value: iccidToBytes(request.iccid) },
          { tag: 0x90, value: text(request.nickname) },
        ],
      });
    case 'listNotifications':
      return encodeTlv({ tag: es10cTags.listNotifications, children: [] });
    case 'removeNotification':
      return encodeTlv({ tag: es10cTags.removeNotification, children: [{ tag: 0x80, value: integer(request.seqNumber) }] });
    case 'getConfiguredAddresses':
      return encodeTlv({ tag: es10cTags.getConfiguredAddresses, children: [] });
    case 'setDefaultDpAddress':
      return encodeTlv({ tag: es10cTags.setDefaultDpAddress, children: [{ tag: 0x80, value: text(request.address) }] });
    case 'getEuiccChallenge':
      return encodeTlv({ tag: es10cTags.getEuiccChallenge, children: [] });
  }
}

/** The card's side: what the LPA asks. Throws TlvError for bytes that are not one element, UnknownFunctionError for an unknown one. */
export function decodeRequest(bytes: Uint8Array): Es10cRequest {
  const tlv = decodeTlv(bytes);
  const iccidIn = (node: Tlv | undefined) => {
    const id = node?.tag === 0xa0 ? child(node, 0x5a) : node;
    if (id?.tag !== 0x5a || id.value?.length !== 10) throw new TlvError('a profile is named by its ICCID (5A, 10 bytes)');
    return iccidFromBytes(id.value);
  };
  switch (tlv.tag) {
    case es10cTags.getEid:
      return { kind: 'getEid' };
    case es10cTags.getProfilesInfo:
      return profilesInfoRequest(tlv);
    case es10cTags.listNotifications:
      return { kind: 'listNotifications' };
    case es10cTags.getConfiguredAddresses:
      return { kind: 'getConfiguredAddresses' };
    case es10cTags.getEuiccChallenge:
      return { kind: 'getEuiccChallenge' };
    case es10cTags.setDefaultDpAddress: {
      const address = child(tlv, 0x80);
      if (!address || (address.value?.length ?? 0) > 255) throw new TlvError('a default SM-DP+ address is 80 with at most 255 bytes');
      return { kind: 'setDefaultDpAddress', address: fromText(address.value) };
    }
    case es10cTags.removeNotification: {
      const seq = child(tlv, 0x80)?.value;
      if (!seq || seq.length === 0 || seq.length > 4) throw new TlvError('a seqNumber is 80 with 1 to 4 bytes');
      return { kind: 'removeNotification', seqNumber: [...seq].reduce((acc, b) => acc * 256 + b, 0) };
    }
    case es10cTags.enable:
    case es10cTags.disable:
      return {
        kind: tlv.tag === es10cTags.enable ? 'enable' : 'disable',
        iccid: iccidIn(tlv.children?.[0]),
        refresh: (child(tlv, 0x81)?.value?.[0] ?? 0) !== 0,
      };
    case es10cTags.delete:
      return { kind: 'delete', iccid: iccidIn(tlv.children?.[0]) };
    case es10cTags.setNickname: {
      const nickname = child(tlv, 0x90);
      if (!nickname || (nickname.value?.length ?? 0) > 64) throw new TlvError('a nickname is 90 with at most 64 bytes');
      return { kind: 'setNickname', iccid: iccidIn(child(tlv, 0x5a)), nickname: fromText(nickname.value) };
    }
    default:
      throw new UnknownFunctionError(`tag ${tlv.tag.toString(16)}`);
  }
}

export function encodeEid(eid: string): Uint8Array {
  return encodeTlv({ tag: es10cTags.getEid, children: [{ tag: 0x5a, value: hex(eid) }] });
}

export function decodeEid(bytes: Uint8Array): string {
  const eid = child(expect(bytes, es10cTags.getEid), 0x5a)?.value;
  if (eid?.length !== 16) throw new TlvError('an EID is 5A with 16 bytes');
  return toHex(eid);
}

/** ProfileInfoListResponse: each profile's elements in ASN.1 order, only those of `tags` when a tag list was asked. */
export function encodeProfiles(profiles: ProfileInfo[], tags?: number[]): Uint8Array {
  const wanted = (tag: number) => !tags || tags.includes(tag);
  return encodeTlv({
    tag: es10cTags.getProfilesInfo,
    children: [
      {
        tag: 0xa0,
        children: profiles.map((p): Tlv => ({
          tag: 0xe3,
          children: [
            { tag: 0x5a, value: iccidToBytes(p.iccid) },
            { tag: 0x4f, value: isdPAid(p.iccid) },
            { tag: 0x9f70, value: new Uint8Array([p.state === 'enabled' ? 1 : 0]) },
            ...(p.nickname !== null ? [{ tag: 0x90, value: text(p.nickname) }] : []),
            { tag: 0x91, value: text(p.serviceProviderName) },
            { tag: 0x92, value: text(p.profileName) },
            { tag: 0x95, value: integer(profileClasses.indexOf(p.profileClass ?? 'operational')) },
          ].filter((element) => wanted(element.tag)),
        })),
      },
    ],
  });
}

export function decodeProfiles(bytes: Uint8Array): ProfileInfo[] {
  const list = child(expect(bytes, es10cTags.getProfilesInfo), 0xa0);
  if (!list) throw new TlvError('no profileInfoListOk (A0)');
  return (list.children ?? [])
    .filter((p) => p.tag === 0xe3)
    .map((p) => ({
      iccid: iccidFromBytes(child(p, 0x5a)?.value ?? new Uint8Array(0)),
      state: child(p, 0x9f70)?.value?.[0] === 1 ? 'enabled' : 'disabled',
      nickname: child(p, 0x90) ? fromText(child(p, 0x90)!.value) : null,
      serviceProviderName: fromText(child(p, 0x91)?.value),
      profileName: fromText(child(p, 0x92)?.value),
      profileClass: profileClasses[child(p, 0x95)?.value?.[0] ?? 2] ?? 'operational',
      ...(child(p, 0x4f)?.value ? { isdpAid: toHex(child(p, 0x4f)!.value!) } : {}),
    }));
}

/** Whether a profile is the one (or of the class) a search names. */
export function matchesSearch(p: ProfileInfo, search: ProfileSearch | undefined): boolean {
  if (!search) return true;
  if ('iccid' in search) return p.iccid === search.iccid;
  if ('isdpAid' in search) return toHex(isdPAid(p.iccid)) === search.isdpAid.toUpperCase();
  return (p.profileClass ?? 'operational') === search.profileClass;
}

function searchCriteria(search: ProfileSearch): Tlv {
  const criterion =
    'iccid' in search
      ? { tag: 0x5a, value: iccidToBytes(search.iccid) }
      : 'isdpAid' in search
        ? { tag: 0x4f, value: hex(search.isdpAid) }
        : { tag: 0x95, value: integer(profileClasses.indexOf(search.profileClass)) };
  return { tag: 0xa0, children: [criterion] };
}

function profilesInfoRequest(tlv: Tlv): Es10cRequest {
  const criterion = child(tlv, 0xa0)?.children?.[0];
  const tagList = child(tlv, 0x5c);
  let search: ProfileSearch | undefined;
  if (criterion?.tag === 0x5a && criterion.value?.length === 10) search = { iccid: iccidFromBytes(criterion.value) };
  else if (criterion?.tag === 0x4f && criterion.value && criterion.value.length >= 5 && criterion.value.length <= 16)
    search = { isdpAid: toHex(criterion.value) };
  else if (criterion?.tag === 0x95 && profileClasses[criterion.value?.[0] ?? -1]) search = { profileClass: profileClasses[criterion.value![0]!]! };
  else if (criterion) throw new TlvError('searchCriteria is 5A ICCID, 4F ISD-P AID or 95 profileClass');
  return { kind: 'getProfilesInfo', ...(search ? { search } : {}), ...(tagList ? { tags: tagsIn(tagList.value ?? new Uint8Array(0)) } : {}) };
}

/** The tags of a tag list ('5C'): one or two bytes each (a first byte xxx11111 continues). */
function tagsIn(bytes: Uint8Array): number[] {
  const tags: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    if ((bytes[i]! & 0x1f) === 0x1f && i + 1 < bytes.length) tags.push(bytes[i]! * 256 + bytes[++i]!);
    else tags.push(bytes[i]!);
  }
  return tags;
}

function tagBytes(tags: number[]): Uint8Array {
  return Uint8Array.from(tags.flatMap((t) => (t > 0xff ? [t >> 8, t & 0xff] : [t])));
}

export function encodeNotifications(list: NotificationMetadata[]): Uint8Array {
  return encodeTlv({ tag: es10cTags.listNotifications, children: [{ tag: 0xa0, children: list.map(notificationMetadata) }] });
}

export function decodeNotifications(bytes: Uint8Array): NotificationMetadata[] {
  const list = child(expect(bytes, es10cTags.listNotifications), 0xa0);
  if (!list) throw new TlvError('no notificationMetadataList (A0)');
  return (list.children ?? []).filter((n) => n.tag === 0xbf2f).map(readNotificationMetadata);
}

/**
 * NotificationMetadata (0xBF2F): 80 seqNumber, 81 profileManagementOperation, 0C notificationAddress,
 * 5A ICCID, which is optional and left out when unknown (a load refused before its metadata; `iccid` '').
 */
export function notificationMetadata(n: NotificationMetadata): Tlv {
  const unused = { install: 7, enable: 6, disable: 5, delete: 4 }[n.event];
  return {
    tag: 0xbf2f,
    children: [
      { tag: 0x80, value: integer(n.seqNumber) },
      { tag: 0x81, value: new Uint8Array([unused, eventBits[n.event]]) },
      { tag: 0x0c, value: text(n.notificationAddress) },
      ...(n.iccid ? [{ tag: 0x5a, value: iccidToBytes(n.iccid) }] : []),
    ],
  };
}

export function readNotificationMetadata(n: Tlv): NotificationMetadata {
  const bits = child(n, 0x81)?.value?.[1] ?? 0;
  const event = (Object.keys(eventBits) as (keyof typeof eventBits)[]).find((e) => eventBits[e] === bits);
  if (!event) throw new TlvError('an unknown profileManagementOperation');
  return {
    seqNumber: [...(child(n, 0x80)?.value ?? [])].reduce((acc, b) => acc * 256 + b, 0),
    event,
    notificationAddress: fromText(child(n, 0x0c)?.value),
    iccid: iccidFromBytes(child(n, 0x5a)?.value ?? new Uint8Array(0)),
  };
}

/** EuiccConfiguredAddressesResponse: 80 the default SM-DP+ (when set), 81 the root SM-DS. */
export function encodeAddresses(addresses: { defaultDpAddress: string | null; rootDsAddress: string }): Uint8Array {
  return encodeTlv({
    tag: es10cTags.getConfiguredAddresses,
    children: [
      ...(addresses.defaultDpAddress ? [{ tag: 0x80, value: text(addresses.defaultDpAddress) }] : []),
      { tag: 0x81, value: text(addresses.rootDsAddress) },
    ],
  });
}

export function decodeAddresses(bytes: Uint8Array): { defaultDpAddress: string | null; rootDsAddress: string } {
  const tlv = expect(bytes, es10cTags.getConfiguredAddresses);
  const dp = child(tlv, 0x80);
  return { defaultDpAddress: dp ? fromText(dp.value) : null, rootDsAddress: fromText(child(tlv, 0x81)?.value) };
}

/** GetEuiccChallengeResponse: 80 with the 16-byte challenge. */
export function encodeChallenge(challenge: Uint8Array): Uint8Array {
  return encodeTlv({ tag: es10cTags.getEuiccChallenge, children: [{ tag: 0x80, value: challenge }] });
}

export function decodeChallenge(bytes: Uint8Array): Uint8Array {
  const challenge = child(expect(bytes, es10cTags.getEuiccChallenge), 0x80)?.value;
  if (challenge?.length !== 16) throw new TlvError('a challenge is 80 with 16 bytes');
  return challenge;
}

/** The answer of Enable/Disable/Delete/SetNickname: its tag and the result code in 80. */
export function encodeResult(tag: number, code: number): Uint8Array {
  return encodeTlv({ tag, children: [{ tag: 0x80, value: new Uint8Array([code]) }] });
}

export function decodeResult(bytes: Uint8Array, tag: number): number {
  const code = child(expect(bytes, tag), 0x80)?.value;
  if (code?.length !== 1) throw new TlvError('a result is 80 with one byte');
  return code[0]!;
}

export function expect(bytes: Uint8Array, tag: number): Tlv {
  const tlv = decodeTlv(bytes);
  if (tlv.tag !== tag) throw new TlvError(`expected ${tag.toString(16)}, got ${tlv.tag.toString(16)}`);
  return tlv;
}

/** Hex text (any case) as bytes; throws TlvError for odd or non-hex text. */
export function hex(value: string): Uint8Array {
  if (!/^([0-9a-fA-F]{2})*$/.test(value)) throw new TlvError('not hex');
  return new Uint8Array(value.match(/../g)?.map((b) => Number.parseInt(b, 16)) ?? []);
}

export function toHex(bytes: Uint8Array): string {
  return [...bytes]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}
