import { describe, expect, it } from 'vitest';
import { Carrier } from '../../cloud/carrier/carrier';
import { Tokens } from '../../cloud/oauth/tokens';
import { Smdp } from '../../cloud/smdp/es9plus';
import { Orders } from '../../cloud/smdp/orders';
import { newSigningKey } from '../../shared/esimSigning';

/** The cloud's world holds only what is still alive: expired tokens and stale ES9+ sessions go. */
describe('the cloud forgets what has expired', () => {
  it('sweeps expired access and refresh tokens', () => {
    let clock = 0;
    const tokens = new Tokens(3600, () => clock);
    for (let i = 0; i < 500; i++) tokens.issue('taro', 'idrive-head-unit');
    expect(tokens.size()).toBe(1000);
    clock += 31 * 24 * 3600_000; // past the access and the refresh lifetime
    tokens.issue('taro', 'idrive-head-unit');
    expect(tokens.size()).toBe(2);
  });

  it('sweeps ES9+ transactions past the session timeout', async () => {
    let clock = 0;
    const smdp = new Smdp(await newSigningKey(), () => 'smdp.test', new Orders(() => clock), new Carrier([]), () => clock);
    for (let i = 0; i < 200; i++) await smdp.initiateAuthentication(`challenge-${i}`);
    expect(smdp.openTransactions).toBe(200);
    clock += 16 * 60_000;
    await smdp.initiateAuthentication('challenge-new');
    expect(smdp.openTransactions).toBe(1);
  });
});
