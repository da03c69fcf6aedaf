import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCloud, type Cloud } from '../../cloud/server';
import { defaultScenario } from '../../shared/scenario';

/** NTT DOCOMO's TS.43 ODSA entitlement (app ap2006) over HTTP, as any TS.43 client asks it. */
let cloud: Cloud;
beforeEach(async () => {
  cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
});
afterEach(async () => cloud.close());

const eid = '89049032000000000000000000000042';
async function token(email: string, password: string): Promise<string> {
  const response = await fetch(new URL('/oauth/token', cloud.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'idrive-head-unit', username: email, password }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}
async function odsa(bearer: string, params: Record<string, string>): Promise<{ status: number; body: Record<string, Record<string, unknown>> }> {
  const url = new URL('/entitlement', cloud.url);
  for (const [k, v] of Object.entries({ vers: '0', entitlement_version: '10.0', app: 'ap2006', ...params })) url.searchParams.set(k, v);
  const response = await fetch(url, { headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' } });
  return { status: response.status, body: (await response.json()) as Record<string, Record<string, unknown>> };
}

describe('the One Number entitlement (GSMA TS.43 ODSA, ap2006)', () => {
  it('answers CheckEligibility, ManageSubscription and AcquireConfiguration in TS.43 JSON', async () => {
    const hanako = await token('hanako@example.com', 'onenumber-demo');
    const eligibility = await odsa(hanako, { operation: 'CheckEligibility' });
    expect(eligibility.body).toEqual({
      Vers: { version: '1', validity: '86400' },
      ap2006: { AppID: 'ap2006', OperationResult: '1', CompanionAppEligibility: '1', CompanionDeviceServices: 'SharedNumber' },
    });
    const subscribe = await odsa(hanako, {
      operation: 'ManageSubscription',
      operation_type: '0',
      companion_terminal_eid: eid,
      companion_terminal_service: 'SharedNumber',
    });
    expect(subscribe.body.ap2006).toMatchObject({
      OperationResult: '1',
      SubscriptionResult: '2',
      DownloadInfo: { ProfileActivationCode: expect.stringMatching(/^LPA:1\$127\.0\.0\.1:\d+\$[A-Z0-9-]+$/), ProfileIccid: expect.stringMatching(/^89\d+/) },
      CompanionConfigurations: { CompanionConfiguration: { msisdn: '+81 90-1234-5678', ServiceStatus: '2' } },
    });
    const configuration = await odsa(hanako, { operation: 'AcquireConfiguration', companion_terminal_eid: eid });
    expect(configuration.body.ap2006).toMatchObject({
      OperationResult: '1',
      CompanionConfigurations: {
        CompanionConfiguration: { ServiceStatus: '2', ICCID: (subscribe.body.ap2006!.DownloadInfo as { ProfileIccid: string }).ProfileIccid },
      },
    });
  });

  it('sends a BMW ID without a line, or without the association, to the My BMW app with the reason', async () => {
    const taro = await odsa(await token('taro@example.com', 'bmw-id-demo'), { operation: 'CheckEligibility' });
    expect(taro.body.ap2006).toMatchObject({ CompanionAppEligibility: '0', NotEnabledURL: `${cloud.url}app/esim`, NotEnabledUserData: 'reason=noLine' });
    const jiro = await odsa(await token('jiro@example.com', 'onenumber-next'), {
      operation: 'ManageSubscription',
      operation_type: '0',
      companion_terminal_eid: eid,
    });
    expect(jiro.body.ap2006).toMatchObject({
      SubscriptionResult: '1',
      SubscriptionServiceURL: `${cloud.url}app/esim`,
      SubscriptionServiceUserData: 'reason=notAssociated',
    });
    const configuration = await odsa(await token('jiro@example.com', 'onenumber-next'), { operation: 'AcquireConfiguration', companion_terminal_eid: eid });
    expect(configuration.body.ap2006).toMatchObject({ CompanionConfigurations: { CompanionConfiguration: { ServiceStatus: '3' } } });
  });

  it('refuses a request without a token, and answers a malformed one with OperationResult 102', async () => {
    expect((await odsa('not-a-token', { operation: 'CheckEligibility' })).status).toBe(401);
    const hanako = await token('hanako@example.com', 'onenumber-demo');
    expect((await odsa(hanako, { operation: 'ManageSubscription', companion_terminal_eid: '123' })).body.ap2006).toMatchObject({ OperationResult: '102' });
    expect((await odsa(hanako, { operation: 'Dance' })).body.ap2006).toMatchObject({ OperationResult: '102' });
    expect(
      (await odsa(hanako, { operation: 'ManageSubscription', companion_terminal_eid: eid, companion_terminal_service: 'Other' })).body.ap2006,
    ).toMatchObject({ OperationResult: '102' });
  });
});
