import type { MessageKey } from '../../shared/i18n';
import type { Notice } from '../../shared/view';
import type { BluetoothDevice } from '../../hardware/bluetooth/contract';
import type { PairedDevice } from '../bluetooth/devices';
import type { SyncFailure } from '../machines/bluetooth';
import { esimState } from './esim';
import { infoRow, openRow, type Row, type ScreenInput, type Translate } from './model';

/** The active profile's paired devices (none before the Bluetooth machine has loaded them). */
export function pairedDevices({ bluetooth }: ScreenInput): PairedDevice[] {
  return bluetooth?.context.devices ?? [];
}

export function chosenDevice(input: ScreenInput): PairedDevice | undefined {
  const chosen = input.bluetooth?.context.chosen;
  return pairedDevices(input).find((d) => d.address === chosen);
}

/** What a device does for the car: "Telephone · Audio · Contacts". */
export function functionsOf(device: PairedDevice, t: Translate): string {
  const names: MessageKey[] = [];
  if (device.functions.telephone) names.push('bt.function.telephone');
  if (device.functions.audio) names.push('bt.function.audio');
  if (device.functions.contacts) names.push('bt.function.contacts');
  return names.map((k) => t(k)).join(' · ');
}

const syncFailureText: Record<SyncFailure, MessageKey> = { refused: 'bt.syncRefused', gone: 'bt.syncFailed', unavailable: 'bt.syncUnavailable' };

/** The phone no longer has its pairing with the car (removed on the phone). */
function forgottenByPhone(input: ScreenInput, device: PairedDevice): boolean {
  return input.bluetooth?.context.forgotten.includes(device.address) ?? false;
}

function syncDetail(input: ScreenInput, device: PairedDevice): string {
  const ctx = input.bluetooth?.context;
  if (ctx?.sync?.address === device.address) return syncProgress(input);
  if (forgottenByPhone(input, device)) return input.t('bt.forgottenHelp');
  if (ctx?.syncFailed?.address === device.address) return input.t(syncFailureText[ctx.syncFailed.reason], { name: device.name });
  return input.t('bt.contactCount', { count: device.contacts.length });
}

/** 09:05, in the car's local time. */
function hourMinute(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** The phone just paired (guide step 13), shown connected with how far its address book is. */
export function connectedNotice(input: ScreenInput): Notice | null {
  const address = input.context.connectedNotice;
  const device = pairedDevices(input).find((d) => d.address === address);
  if (!device) return null;
  return { id: 'bt.connected', title: input.t('bt.connectedNotice', { name: device.name }), text: syncDetail(input, device) };
}

export function syncProgress({ bluetooth, t }: ScreenInput): string {
  const sync = bluetooth?.context.sync;
  if (!sync) return '';
  return sync.total === null ? t('bt.syncStarting') : t('bt.syncing', { loaded: sync.loaded, total: sync.total });
}

/** Mobile devices (guide step 10): the Personal eSIM with its state, the paired devices, and a new one. */
export function mobileDevicesRows(input: ScreenInput): Row[] {
  const { t } = input;
  // (a phone syncing says how far it is, here too: step 13 ends on this screen, right after the pairing)
  const syncing = input.bluetooth?.context.sync?.address;
  const devices = pairedDevices(input).map((d) =>
    openRow(
      `device.${d.address}`,
      d.name,
      { type: 'bt.open', address: d.address },
      forgottenByPhone(input, d)
        ? t('bt.notPairedOnPhone')
        : [d.address === syncing ? syncProgress(input) : functionsOf(d, t), d.esim ? t('bt.esimPhone') : ''].filter(Boolean).join(' · '),
    ),
  );
  return [
    openRow('esim', t('esim.title'), { type: 'nav.open', screen: 'esim' }, esimState(input)),
    ...devices,
    { id: 'connectNew', kind: 'action', label: t('bt.connectNew'), opens: true, press: { type: 'bt.connectNew' } },
  ];
}

/** Signal strength in bars (1–4), as the list of found devices draws it; null: unknown. */
function bars(rssi: number | null): number | null {
  if (rssi === null) return null;
  return rssi >= -55 ? 4 : rssi >= -67 ? 3 : rssi >= -78 ? 2 : 1;
}

const failureText: Record<string, MessageKey> = {
  rejected: 'bt.failure.rejected',
  canceled: 'bt.failure.canceled',
  timeout: 'bt.failure.timeout',
  gone: 'bt.failure.gone',
  notFound: 'bt.failure.gone',
  noAdapter: 'bt.failure.noAdapter',
  notSupported: 'bt.failure.notSupported',
  connect: 'bt.failure.connect',
  failed: 'bt.failure.failed',
};

/**
 * "Connect new device" (guide step 13): the car is visible under its name while this is open; the
 * phones it finds are listed live, strongest first. Choosing one starts the pairing.
 */
export function searchRows(input: ScreenInput): Row[] {
  const { t, bluetooth, context } = input;
  const ctx = bluetooth?.context;
  const state = bluetooth?.state ?? '';
  const mine = new Set(pairedDevices(input).map((d) => d.address));
  const found = (ctx?.discovered ?? []).filter((d: BluetoothDevice) => !mine.has(d.address));
  const rows: Row[] = [infoRow('visible', t('bt.visibleAs', { name: context.settings.vehicleName }))];
  const name = ctx?.target?.name ?? '';
  if (state === 'search.pairing') {
    // (after the driver's answer the code stays in sight: the phone may still be asking its owner)
    rows.push(
      ctx?.passkey
        ? { ...infoRow('status', t('bt.waitingForPhone', { name, code: ctx.passkey })), ...(ctx.passkeyUntil ? { until: ctx.passkeyUntil } : {}) }
        : infoRow('status', t('bt.pairingWith', { name })),
    );
    // Waiting for a phone that may never answer: the driver can stop it (the list is disabled meanwhile).
    rows.push({ id: 'cancelPairing', kind: 'action', label: t('bt.cancelPairing'), press: { type: 'bt.cancel' } });
  } else if (state === 'search.connecting') rows.push(infoRow('status', t('bt.connecting', { name })));
  else if (state === 'search.failed' && ctx?.failure) rows.push(infoRow('status', t(failureText[ctx.failure] ?? 'bt.failure.failed', { name })));
  const busy = state === 'search.pairing' || state === 'search.connecting';
  rows.push(
    ...found.map((d): Row => {
      const signal = bars(d.rssi);
      return {
        id: `found.${d.address}`,
        kind: 'action',
        label: d.name ?? d.address,
        disabled: busy,
        ...(signal === null ? {} : { signal, detail: t('bt.signal', { n: signal }) }),
        press: { type: 'bt.select', address: d.address },
      };
    }),
  );
  if (found.length === 0 && ctx?.failure !== 'noAdapter') rows.push(infoRow('searching', t('bt.searching')));
  return rows;
}

/** One paired device: its functions, whether it is the Personal eSIM's phone, its contacts, and removal. */
export function deviceRows(input: ScreenInput): Row[] {
  const { t } = input;
  const device = chosenDevice(input);
  if (!device) return [infoRow('gone', t('bt.deviceGone'))];
  const syncing = input.bluetooth?.context.sync !== null;
  return [
    infoRow('functions', functionsOf(device, t)),
    { id: 'esim', kind: 'check', label: t('bt.useWithEsim'), checked: device.esim, press: { type: 'bt.useWithEsim', address: device.address } },
    infoRow('contacts', syncDetail(input, device)),
    {
      id: 'sync',
      kind: 'action',
      label: t('bt.syncNow'),
      disabled: syncing,
      press: { type: 'bt.sync', address: device.address },
      // (when it last ran: the feedback of a sync that left the count as it was)
      ...(device.syncedAt && !syncing ? { detail: t('bt.syncedAt', { time: hourMinute(new Date(device.syncedAt)) }) } : {}),
    },
    { id: 'remove', kind: 'action', label: t('bt.remove'), press: { type: 'popup.open', popup: 'bt.remove' } },
  ];
}
