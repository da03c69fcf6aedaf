import type { Call } from '../modem/contract';

/**
 * Bluetooth as a head unit uses it: the car's adapter, discovery of phones, Secure Simple Pairing
 * by numeric comparison, the profiles of a paired phone, its phonebook (PBAP) and its calls (HFP).
 * Written so that BlueZ over D-Bus can implement all of it and a BLE central (noble) the part it
 * has; {@link Bluetooth.supports} says which.
 *
 * Common rules for every backend:
 * - Every call rejects with a {@link BluetoothError}; no other error escapes.
 * - Addresses are upper-case `AA:BB:CC:DD:EE:FF`.
 * - Events are delivered after the state they describe can be read back.
 * - A pairing asks the car once through a `confirm` event (the 6-digit code, zero-padded) and
 *   ends by `pair` resolving or rejecting; `pairingCancelled` closes the car's dialog when the
 *   other side gave up first.
 * - A phone may start the pairing itself while the car is pairable: the car gets a `confirm` event
 *   for a device it did not call `pair` on, answers it with `confirm`, and the pairing ends with a
 *   `device` event showing the device paired and trusted, or with `pairingCancelled`.
 */
export interface Bluetooth {
  readonly backend: BluetoothBackend;
  readonly supports: BluetoothSupport;
  adapter(): Promise<AdapterState>;
  setPowered(on: boolean): Promise<void>;
  /** The name phones see (the vehicle name, e.g. "BMW 12345"). */
  setName(name: string): Promise<void>;
  /** Discoverable and pairable together, for `timeoutSeconds` at most; off turns both off. */
  setPairable(on: boolean, timeoutSeconds?: number): Promise<void>;
  startDiscovery(): Promise<void>;
  stopDiscovery(): Promise<void>;
  /** Devices known: found by discovery, or paired before. */
  devices(): Promise<BluetoothDevice[]>;
  /**
   * Pairs with a device (the car initiates, as iDrive does). Resolves once both sides confirmed
   * and the device is paired and trusted; rejects with `rejected`, `canceled`, `timeout`, `gone`
   * (out of range) or `notFound`.
   */
  pair(address: string): Promise<void>;
  /** The driver's answer to a `confirm` event. */
  confirm(address: string, accept: boolean): Promise<void>;
  cancelPairing(address: string): Promise<void>;
  /** Connects the device's profiles the car uses (HFP, PBAP, A2DP where it has them). */
  connect(address: string): Promise<void>;
  disconnect(address: string): Promise<void>;
  /** Unpairs and forgets the device. */
  remove(address: string): Promise<void>;
  /** PBAP PullAll: the phonebook (`pb`) or the combined call history (`cch`), as the vCard bytes the phone sent. */
  pullPhonebook(address: string, book: PhonebookBook, onProgress?: (loaded: number, total: number | null) => void): Promise<Uint8Array>;
  /** HFP: a call through the phone. Later states arrive as `call` events. */
  dial(address: string, number: string): Promise<Call>;
  answer(address: string, callId: number): Promise<void>;
  hangUp(address: string, callId: number): Promise<void>;
  /** BLE: the Device Information and Battery services of a device. */
  deviceInfo(address: string): Promise<DeviceInfo>;
  on(listener: (event: BluetoothEvent) => void): () => void;
  close(): Promise<void>;
}

export type BluetoothBackend = 'simulated' | 'bluez' | 'ble';

export interface BluetoothSupport {
  pairing: boolean;
  phonebook: boolean;
  calls: boolean;
  deviceInfo: boolean;
}

export interface AdapterState {
  powered: boolean;
  name: string;
  address: string;
  discoverable: boolean;
  pairable: boolean;
  discovering: boolean;
}

/** The profiles a head unit uses, by name. */
export const bluetoothProfiles = ['hfp', 'pbap', 'a2dp'] as const;
export type BluetoothProfile = (typeof bluetoothProfiles)[number];

export interface BluetoothDevice {
  address: string;
  /** null for a device that has not told its name */
  name: string | null;
  /** Class of Device (0x5a020c: a smartphone); 0 when unknown (BLE) */
  deviceClass: number;
  /** dBm of the last advertisement or inquiry result; null when not in range or not seen */
  rssi: number | null;
  paired: boolean;
  trusted: boolean;
  connected: boolean;
  /** the head-unit profiles the device offers */
  profiles: BluetoothProfile[];
}

export type PhonebookBook = 'pb' | 'cch';

export interface DeviceInfo {
  manufacturer: string | null;
  model: string | null;
  /** percent */
  battery: number | null;
}

export type BluetoothEvent =
  | { type: 'adapter'; adapter: AdapterState }
  | { type: 'device'; device: BluetoothDevice }
  | { type: 'deviceRemoved'; address: string }
  /** SSP numeric comparison: the code both sides show */
  | { type: 'confirm'; address: string; passkey: string }
  | { type: 'pairingCancelled'; address: string }
  | { type: 'call'; address: string; call: Call };

export type BluetoothErrorCode =
  | 'noAdapter'
  | 'notSupported'
  | 'notFound'
  | 'rejected'
  | 'canceled'
  | 'timeout'
  | 'gone'
  | 'notConnected'
  /** the phone no longer has its pairing with the car (its owner removed it there): pair again */
  | 'notPaired'
  /** the phone refused access to its contacts (PBAP: OBEX Forbidden, Not Acceptable, Unauthorized): allowed on the phone */
  | 'refused'
  | 'failed';

export class BluetoothError extends Error {
  constructor(
    readonly code: BluetoothErrorCode,
    message: string = code,
  ) {
    super(message);
    this.name = 'BluetoothError';
  }
}

/** The passkey of a numeric comparison as both sides show it: six digits, zero-padded. */
export function formatPasskey(passkey: number): string {
  return String(passkey % 1_000_000).padStart(6, '0');
}

export function normaliseAddress(address: string): string {
  return address.toUpperCase();
}

/** Class of Device of a smartphone (major Phone, minor Smartphone, with telephony and audio services). */
export const smartphoneClass = 0x5a020c;
