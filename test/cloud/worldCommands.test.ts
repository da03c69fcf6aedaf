import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type Cloud } from '../../cloud/server';
import type { CloudWorldCommand, CloudWorldResult } from '../../shared/cloudWorld';
import { defaultScenario } from '../../shared/scenario';
import { automationHandlers, fixedCar } from '../../main/hosts/handlers';
import { carWithCloud } from '../support/carWithCloud';
import { useTempDirs } from '../support/tempDir';

/**
 * The cloud's world has one command set (shared/cloudWorld.ts), run by the cloud at
 * `POST /admin/world`: every command answers what it says, the admin routes are shorthands for
 * the same commands, and a refusal says why in words a bench engineer can act on.
 */
let cloud: Cloud;
beforeAll(async () => {
  cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await cloud.close();
});

async function world(command: unknown): Promise<{ status: number; body: CloudWorldResult & { error_description?: string } }> {
  const response = await fetch(new URL('/admin/world', cloud.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(command),
  });
  return { status: response.status, body: (await response.json()) as CloudWorldResult & { error_description?: string } };
}
async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(new URL(path, cloud.url), {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  expect(response.status).toBe(200);
  return response.json();
}

const hanako = 'hanako@example.com';
const taro = 'taro@example.com';
/** One of each command, with what its answer holds: a command added to the set without a row here does not compile. */
const everyCommand: { [A in CloudWorldCommand['action']]: [Extract<CloudWorldCommand, { action: A }>, (keyof CloudWorldResult)[]] } = {
  accounts: [{ action: 'accounts' }, ['accounts']],
  giveLine: [{ action: 'giveLine', email: taro, msisdn: '+81 90-5555-0101', networkPin: '1234', dAccount: 'taro-d', dPassword: 'taro-secret-1' }, ['accounts']],
  setLine: [{ action: 'setLine', email: taro, subscribed: true }, ['accounts']],
  rewindStep1: [{ action: 'rewindStep1', email: taro }, ['accounts']],
  line: [{ action: 'line', email: taro, line: { msisdn: '+81 90-5555-0101', subscribed: true, multiDevice: true, associated: false } }, ['accounts']],
  sms: [{ action: 'sms', email: hanako }, ['accounts', 'sms']],
  removeLine: [{ action: 'removeLine', email: taro }, ['accounts']],
  outage: [{ action: 'outage', mode: 'slow' }, ['accounts', 'outage']],
  behaviour: [{ action: 'behaviour', deviceCodeLifetimeSeconds: 90 }, ['behaviour']],
  orders: [{ action: 'orders' }, ['orders']],
  makeOrder: [{ action: 'makeOrder', protection: 'ppk' }, ['order']],
  expireOrder: [{ action: 'expireOrder', matchingId: '' }, ['orders']],
  smdpFault: [{ action: 'smdpFault', fault: { mode: 'slow', delaySeconds: 2 } }, ['smdpFault']],
};

describe("the cloud's world commands", () => {
  it('runs every command at POST /admin/world and answers what it says', async () => {
    const lineOf = (accounts: CloudWorldResult['accounts']) => accounts?.find((a) => a.email === taro)?.line ?? null;
    let made = '';
    for (const [command, answers] of Object.values(everyCommand)) {
      const { status, body } = await world(command.action === 'expireOrder' ? { ...command, matchingId: made } : command);
      expect({ action: command.action, status }).toEqual({ action: command.action, status: 200 });
      expect(Object.keys(body).sort()).toEqual([...answers].sort());
      if (command.action === 'makeOrder') made = body.order!.matchingId;
      if (command.action === 'giveLine')
        expect(lineOf(body.accounts)).toEqual({ msisdn: '+81 90-5555-0101', subscribed: false, multiDevice: false, associated: false, dAccount: 'taro-d' });
      if (command.action === 'setLine') expect(lineOf(body.accounts)).toMatchObject({ subscribed: true, multiDevice: false });
      if (command.action === 'rewindStep1') expect(lineOf(body.accounts)).toMatchObject({ subscribed: false });
      // (a line set whole keeps the logins STEP 1 gave it: they never come back to the bench)
      if (command.action === 'line')
        expect(lineOf(body.accounts)).toEqual({ msisdn: '+81 90-5555-0101', subscribed: true, multiDevice: true, associated: false, dAccount: 'taro-d' });
      if (command.action === 'removeLine') expect(lineOf(body.accounts)).toBeNull();
      if (command.action === 'outage') expect(body.outage).toEqual({ mode: 'slow', delaySeconds: 10 });
      if (command.action === 'makeOrder') expect(body.order!.activationCode).toMatch(new RegExp(`^LPA:1\\$127\\.0\\.0\\.1:\\d+\\$${made}$`));
      if (command.action === 'expireOrder') expect(Date.parse(body.orders!.find((o) => o.matchingId === made)!.expiresAt)).toBeLessThanOrEqual(Date.now());
      expect(JSON.stringify(body)).not.toMatch(/taro-secret-1|networkPin|dPassword/);
    }
    // the world as the commands left it, read by the shorthands
    expect(await admin('GET', '/admin/outage')).toEqual({ mode: 'slow', delaySeconds: 10 });
    expect(await admin('GET', '/admin/behaviour')).toEqual({ deviceCodeLifetimeSeconds: 90, phoneOn: 'wifi' });
    expect(await admin('GET', '/admin/smdp/fault')).toEqual({ mode: 'slow', delaySeconds: 2 });
    await world({ action: 'outage', mode: 'none' });
    await world({ action: 'smdpFault', fault: { mode: 'none' } });
  });

  it('takes the shorthand routes as the same commands', async () => {
    expect(await admin('PUT', '/admin/outage', { mode: 'error' })).toEqual({ mode: 'error' });
    expect((await world({ action: 'outage', mode: 'none' })).body.outage).toEqual({ mode: 'none' });
    expect(await admin('PUT', '/admin/behaviour', { phoneOn: 'cellular' })).toEqual({ deviceCodeLifetimeSeconds: 90, phoneOn: 'cellular' });
    expect((await world({ action: 'behaviour' })).body.behaviour).toEqual({ deviceCodeLifetimeSeconds: 90, phoneOn: 'cellular' });
    const fault = { mode: 'error', function: 'authenticateClient', subjectCode: '8.1', reasonCode: '3.8', every: false };
    expect(await admin('PUT', '/admin/smdp/fault', fault)).toEqual(fault);
    expect((await world({ action: 'smdpFault', fault: { mode: 'none' } })).body.smdpFault).toEqual({ mode: 'none' });
    const order = (await admin('POST', '/admin/smdp/orders', { msisdn: '+81 90-1111-2222' })) as { matchingId: string };
    expect((await world({ action: 'orders' })).body.orders![0]).toMatchObject({ matchingId: order.matchingId, msisdn: '+81 90-1111-2222', state: 'released' });
    expect(await admin('PUT', `/admin/carrier/lines/${encodeURIComponent(hanako)}`, null)).toEqual({ email: hanako, line: null });
    expect((await world({ action: 'accounts' })).body.accounts!.find((a) => a.email === hanako)!.line).toBeNull();
  });

  it('refuses with the reason: an unknown BMW ID or order, a line to give first, a command that does not fit', async () => {
    expect(await world({ action: 'setLine', email: 'nobody@example.com', subscribed: true })).toEqual({
      status: 404,
      body: { error: 'invalid_request', error_description: 'the cloud has no BMW ID "nobody@example.com"' },
    });
    expect((await world({ action: 'rewindStep1', email: hanako })).body).toMatchObject({
      error_description: 'hanako@example.com has no NTT DOCOMO line: give it one first',
    });
    expect((await world({ action: 'rewindStep1', email: hanako })).status).toBe(409);
    expect(await world({ action: 'expireOrder', matchingId: 'NONE' })).toMatchObject({
      status: 404,
      body: { error_description: 'the SM-DP+ has no order NONE' },
    });
    const wrong = await world({ action: 'outage', mode: 'sideways' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error_description).toMatch(/^not a command of the cloud's world: .*mode/s);
    expect((await world({ action: 'launch' })).status).toBe(400);
  });
});

describe('a whole line from the automation API', () => {
  const tempDir = useTempDirs();
  it("goes to the cloud, and the car's timeline keeps it without the line's logins, which a replay is given again", async () => {
    const car = await carWithCloud(await tempDir());
    try {
      const automation = automationHandlers(fixedCar(car.core), () => Promise.reject(new Error('no display here')));
      const line = { msisdn: '+81 90-5555-0101', subscribed: true, multiDevice: false, associated: false, networkPin: '4321', dPassword: 'taro-secret-1' };
      const answer = await automation['world.cloud']({ action: 'line', email: taro, line });
      expect(answer.accounts!.find((a) => a.email === taro)!.line).toEqual({
        msisdn: '+81 90-5555-0101',
        subscribed: true,
        multiDevice: false,
        associated: false,
      });
      const [event] = car.core.timeline.since(0).filter((e) => e.kind === 'world');
      expect(event).toMatchObject({
        text: `cloud line ${taro}`,
        step: 'step1',
        replay: { channel: 'world.cloud', secrets: ['line.networkPin', 'line.dPassword'] },
      });
      expect(JSON.stringify(event)).not.toMatch(/4321|taro-secret-1/);
      // (the strict command refuses a line whose logins were put back anywhere but inside it)
      const again = await automation['timeline.replay']({
        events: [event!],
        from: 'asIs',
        secrets: { 'line.networkPin': ['9876'], 'line.dPassword': ['other-secret-2'] },
        waitMs: 5000,
      });
      expect(again).toMatchObject({ replayed: 1, skipped: [] });
      await expect(automation['timeline.replay']({ events: [event!], from: 'asIs', secrets: {}, waitMs: 5000 })).rejects.toThrow(
        `event ${event!.seq} needs a secret: give it in secrets["line.networkPin"]`,
      );
    } finally {
      await car.stop();
    }
  });
});
