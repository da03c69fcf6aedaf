import { describe, expect, it } from 'vitest';
import { Carrier } from '../../cloud/carrier/carrier';
import { Tokens } from '../../cloud/oauth/tokens';
import { Smdp } from '../../cloud/smdp/es9plus';
import { Orders } from '../../cloud/smdp/orders';
import { testIdentities } from '../../cloud/smdp/identities';
import { encodeEuiccInfo1 } from '../../shared/es10/es10b';
import { subjectKeyId } from '../../shared/rsp/pki';
import { testPki } from '../../shared/rsp/testPki';
import * as x509 from '../../shared/rsp/x509';

/** What an eUICC sends to start a session: a challenge and its EUICCInfo1 naming the test CI. */
const start = {
  euiccChallenge: Buffer.alloc(16, 1).toString('base64'),
  euiccInfo1: Buffer.from(
    encodeEuiccInfo1({ svn: '2.2.2', ciPkIdsForVerification: [subjectKeyId(new x509.X509Certificate(testPki.ci.certificate))], ciPkIdsForSigning: [] }),
  ).toString('base64'),
  smdpAddress: 'smdp.test',
};

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

  it('sweeps unauthenticated ES9+ transactions after five minutes, and holds at most 2,000', async () => {
    let clock = 0;
    const smdp = new Smdp(
      await testIdentities(),
      () => 'smdp.test',
      new Orders(() => clock),
      new Carrier([]),
      () => clock,
    );
    for (let i = 0; i < 200; i++) await smdp.initiateAuthentication(start);
    expect(smdp.openTransactions).toBe(200);
    clock += 5 * 60_000;
    await smdp.initiateAuthentication(start);
    expect(smdp.openTransactions).toBe(1);
    for (let i = 0; i < 2_100; i++) await smdp.initiateAuthentication(start);
    expect(smdp.openTransactions).toBe(2_000);
  });
});

describe('token revocation (RFC 7009)', () => {
  it('takes both halves of a login: revoking the access token ends its refresh token, and the other way round', () => {
    const tokens = new Tokens(3600, () => 1_000);
    const first = tokens.issue('bmwid-1', 'idrive-head-unit');
    tokens.revoke(first.access_token);
    expect(() => tokens.renew(first.refresh_token, 'idrive-head-unit')).toThrow(/unknown refresh_token/);
    const second = tokens.issue('bmwid-1', 'idrive-head-unit');
    tokens.revoke(second.refresh_token);
    expect(() => tokens.verify(second.access_token)).toThrow();
    // another login of the same BMW ID is not touched
    const third = tokens.issue('bmwid-1', 'idrive-head-unit');
    tokens.revoke('not-a-token');
    expect(tokens.verify(third.access_token)).toBe('bmwid-1');
  });
});
