import type { AreaFile } from '../store/areaFile';
import type { AccountInfo, TokenSet } from './client';
import { afterWrongPin, hashPin, lockState, noLock, pinMatches, type PinLock } from './pin';
import { maxProfiles, type Profile, type ProfilesFile, type PinsFile, type TokensFile } from './profiles';

export type PinCheck = { kind: 'ok' } | { kind: 'wrong'; left: number } | { kind: 'locked'; seconds: number } | { kind: 'login' };

/** A finished BMW ID login, as the login flow hands it to the car. */
export interface NewProfile {
  account: AccountInfo;
  tokens: TokenSet;
  /** the new PIN, or null when the driver chose to set it up later */
  pin: string | null;
}

/**
 * The BMW IDs on this car with their tokens and PINs: kept in memory, every change written through
 * to its area file before the call returns. Secrets stay here; the rest of the car sees profiles.
 */
export class ProfileVault {
  private profiles: ProfilesFile = { active: null, profiles: [] };
  private tokens: TokensFile = {};
  private pins: PinsFile = {};

  /** `store`: the three area files this vault alone writes (profiles, tokens, PIN hashes) */
  constructor(
    private readonly store: { profiles: AreaFile<ProfilesFile>; tokens: AreaFile<TokensFile>; pins: AreaFile<PinsFile> },
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes what the store read at boot. */
  load(profiles: ProfilesFile, tokens: TokensFile, pins: PinsFile): void {
    this.profiles = profiles;
    this.tokens = tokens;
    this.pins = pins;
  }

  list(): ProfilesFile {
    return this.profiles;
  }

  accessToken(id: string): string | null {
    return this.tokens[id]?.accessToken ?? null;
  }

  /** The profile's tokens, with when the access token runs out (ms since the epoch). */
  tokensOf(id: string): TokensFile[string] | null {
    return this.tokens[id] ?? null;
  }

  /** Stores renewed tokens: a new refresh token replaces the spent one; a refresh that did not rotate it keeps it. */
  async renew(id: string, tokens: TokenSet): Promise<void> {
    const current = this.tokens[id];
    if (!current) return;
    this.tokens = {
      ...this.tokens,
      [id]: { accessToken: tokens.access_token, refreshToken: tokens.refresh_token ?? current.refreshToken, expiresAt: this.now() + tokens.expires_in * 1000 },
    };
    await this.store.tokens.save(this.tokens);
  }

  /** Adds (or logs back into) a profile and makes it active. The oldest inactive one makes room. */
  async add({ account, tokens, pin }: NewProfile): Promise<ProfilesFile> {
    const existing = this.profiles.profiles.find((p) => p.id === account.sub);
    const profile: Profile = {
      id: account.sub,
      email: account.email,
      name: account.name,
      settings: account.settings,
      hasPin: pin !== null || (existing?.hasPin ?? false),
      loggedIn: true,
      addedAt: existing?.addedAt ?? new Date(this.now()).toISOString(),
      ...(existing?.esimSwitches ? { esimSwitches: existing.esimSwitches } : {}),
    };
    let others = this.profiles.profiles.filter((p) => p.id !== profile.id);
    if (others.length >= maxProfiles) others = others.slice(1);
    // Memory follows the disk: each part is kept only once it is written, so a failed write
    // leaves the car as it was (and the driver told), never half a profile.
    const tokensNext = {
      ...this.tokens,
      [profile.id]: { accessToken: tokens.access_token, refreshToken: tokens.refresh_token ?? null, expiresAt: this.now() + tokens.expires_in * 1000 },
    };
    await this.store.tokens.save(tokensNext);
    this.tokens = tokensNext;
    // A new login clears a lock: the BMW ID login is what a locked profile asks for.
    const previous = this.pins[profile.id];
    const stored = pin !== null ? await hashPin(pin) : (previous?.pin ?? null);
    const pinsNext = { ...this.pins, [profile.id]: { pin: stored, lock: noLock } };
    await this.store.pins.save(pinsNext);
    this.pins = pinsNext;
    return this.saveProfiles({ active: profile.id, profiles: [...others, profile] });
  }

  /** Keeps the Personal eSIM's check boxes with the profile, for its next start. */
  setEsimSwitches(id: string, switches: NonNullable<Profile['esimSwitches']>): Promise<ProfilesFile> {
    return this.saveProfiles({ ...this.profiles, profiles: this.profiles.profiles.map((p) => (p.id === id ? { ...p, esimSwitches: switches } : p)) });
  }

  activate(id: string | null): Promise<ProfilesFile> {
    return this.saveProfiles({ ...this.profiles, active: id });
  }

  lock(id: string): ReturnType<typeof lockState> {
    return lockState(this.pins[id]?.lock ?? noLock, this.now());
  }

  /**
   * Checks a PIN. The attempt is written down as wrong before the comparison, so pulling the plug
   * after a wrong guess cannot undo it; a right PIN then clears the count.
   */
  async checkPin(id: string, pin: string): Promise<PinCheck> {
    const entry = this.pins[id];
    if (!entry?.pin) return { kind: 'ok' };
    const state = this.lock(id);
    if (state.kind === 'locked') return state;
    if (state.kind === 'login') return state;
    const counted: PinLock = afterWrongPin(entry.lock, this.now());
    this.pins = { ...this.pins, [id]: { ...entry, lock: counted } };
    await this.store.pins.save(this.pins);
    if (await pinMatches(pin, entry.pin)) {
      this.pins = { ...this.pins, [id]: { ...entry, lock: noLock } };
      await this.store.pins.save(this.pins);
      return { kind: 'ok' };
    }
    const after = lockState(counted, this.now());
    return after.kind === 'open' ? { kind: 'wrong', left: after.left } : after;
  }

  async setPin(id: string, pin: string | null): Promise<ProfilesFile> {
    const pinsNext = { ...this.pins, [id]: { pin: pin === null ? null : await hashPin(pin), lock: noLock } };
    await this.store.pins.save(pinsNext);
    this.pins = pinsNext;
    return this.saveProfiles({ ...this.profiles, profiles: this.profiles.profiles.map((p) => (p.id === id ? { ...p, hasPin: pin !== null } : p)) });
  }

  /** Log out: the profile stays, its tokens go, and its next use needs a BMW ID login. */
  async logOut(id: string): Promise<{ profiles: ProfilesFile; revoked: string[] }> {
    const revoked = Object.values(this.tokens[id] ?? {}).filter((v): v is string => typeof v === 'string');
    const { [id]: _gone, ...tokens } = this.tokens;
    this.tokens = tokens;
    await this.store.tokens.save(this.tokens);
    const profiles = await this.saveProfiles({
      active: this.profiles.active === id ? null : this.profiles.active,
      profiles: this.profiles.profiles.map((p) => (p.id === id ? { ...p, loggedIn: false } : p)),
    });
    return { profiles, revoked };
  }

  /** Remove from this car: the profile, then its tokens and PIN (an orphan token is harmless; the reverse is not). */
  async remove(id: string): Promise<{ profiles: ProfilesFile; revoked: string[] }> {
    const revoked = Object.values(this.tokens[id] ?? {}).filter((v): v is string => typeof v === 'string');
    const profiles = await this.saveProfiles({
      active: this.profiles.active === id ? null : this.profiles.active,
      profiles: this.profiles.profiles.filter((p) => p.id !== id),
    });
    const { [id]: _t, ...tokens } = this.tokens;
    this.tokens = tokens;
    await this.store.tokens.save(this.tokens);
    const { [id]: _p, ...pins } = this.pins;
    this.pins = pins;
    await this.store.pins.save(this.pins);
    return { profiles, revoked };
  }

  /** After a factory reset the files are gone; so is everything here. */
  clear(): void {
    this.profiles = { active: null, profiles: [] };
    this.tokens = {};
    this.pins = {};
  }

  private async saveProfiles(next: ProfilesFile): Promise<ProfilesFile> {
    await this.store.profiles.save(next);
    this.profiles = next;
    return next;
  }
}
