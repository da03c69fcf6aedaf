import { request } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { startCloud, type Cloud, type CloudState } from '../../cloud/server';
import { SimModem } from '../../hardware/modem/sim/simModem';
import { ctxParams1, readAuthenticateResponse } from '../../shared/es10/es10b';
import { otherSignedNotification } from '../../shared/es10/notifications';
import { decodeTlv, encodeTlv } from '../../shared/es10/tlv';
import { ecdsa, sign } from '../../shared/rsp/pki';
import { testPki } from '../../shared/rsp/testPki';
import * as x509 from '../../shared/rsp/x509';
import { es9, type Es9CallError } from '../../main/esim/es9Client';
import { Lpa } from '../../main/esim/lpa';
import { defaultScenario } from '../../shared/scenario';

/**
 * The SM-DP+ trusts only what SGP.22 lets it trust: an eUICC is who its certificate chain to the
 * EUM and the CI says, notifications count only with the eUICC's signature, each challenge and
 * transaction is used once, and what is not ES9+ gets SGP.22's functionExecutionStatus with the
 * right HTTP status, never a server error.
 */
const clouds: Cloud[] = [];
afterEach(async () => Promise.all(clouds.splice(0).map((c) => c.close())));

async function world() {
  let state: CloudState | undefined;
  const cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0, onChange: (s) => (state = s) });
  clouds.push(cloud);
  const order = (await (await fetch(new URL('/admin/smdp/orders', cloud.url), { method: 'POST' })).json()) as {
    activationCode: string;
    matchingId: string;
    iccid: string;
  };
  return { cloud, order, orders: () => state?.orders ?? [] };
}
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => (e as Es9CallError).outcome,
  );

/** Steps 1–4 of a download by hand, as a tool of the bench would: the eUICC's signed answer and the transaction. */
async function authenticated(cloud: Cloud, modem: SimModem, matchingId: string) {
  const init = await es9(
    cloud.smdpAddress,
    'initiateAuthentication',
    {
      euiccChallenge: b64(await modem.euicc.getEuiccChallenge()),
      euiccInfo1: b64(await modem.euicc.getEuiccInfo1()),
      smdpAddress: cloud.smdpAddress,
    },
    5000,
  );
  const field = (name: string) => decodeTlv(new Uint8Array(Buffer.from(init[name] as string, 'base64')));
  const response = await modem.euicc.authenticateServer({
    serverSigned1: field('serverSigned1'),
    serverSignature1: field('serverSignature1'),
    euiccCiPKIdToBeUsed: field('euiccCiPKIdToBeUsed'),
    serverCertificate: field('serverCertificate'),
    ctxParams1: ctxParams1({ matchingId, tac: Uint8Array.of(0x35, 0x29, 0x06, 0x11) }),
  });
  return { transactionId: init.transactionId as string, response };
}

describe('the SM-DP+ and who it trusts', () => {
  it('refuses an eUICC whose key is its own (a self-signed certificate, chained to nothing): 8.1.3', async () => {
    const { cloud, order } = await world();
    const modem = new SimModem();
    const { transactionId, response } = await authenticated(cloud, modem, order.matchingId);
    const ok = readAuthenticateResponse(decodeTlv(response));
    if (!('ok' in ok)) throw new Error('refused');
    // The same answer, re-signed with a self-made key whose certificate claims the EID.
    const keys = await crypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
    const self = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: `CN=eUICC,2.5.4.5=${await modem.euicc.eid()}`,
      keys,
      signingAlgorithm: ecdsa,
    });
    const forged = encodeTlv({
      tag: 0xbf38,
      children: [
        {
          tag: 0xa0,
          children: [
            ok.ok.euiccSigned1,
            { tag: 0x5f37, value: await sign(encodeTlv(ok.ok.euiccSigned1), keys.privateKey) },
            decodeTlv(new Uint8Array(self.rawData)),
            ok.ok.eumCertificate,
          ],
        },
      ],
    });
    expect(await refusal(es9(cloud.smdpAddress, 'authenticateClient', { transactionId, authenticateServerResponse: b64(forged) }, 5000))).toMatchObject({
      kind: 'refused',
      subjectCode: '8.1.3',
      reasonCode: '6.1',
    });
  });

  it('uses each server challenge once: a replayed AuthenticateClient finds no transaction (8.10.1 / 3.9)', async () => {
    const { cloud, order } = await world();
    const modem = new SimModem();
    const { transactionId, response } = await authenticated(cloud, modem, order.matchingId);
    const body = { transactionId, authenticateServerResponse: b64(response) };
    await es9(cloud.smdpAddress, 'authenticateClient', body, 5000);
    expect(await refusal(es9(cloud.smdpAddress, 'authenticateClient', body, 5000))).toMatchObject({
      kind: 'refused',
      subjectCode: '8.10.1',
      reasonCode: '3.9',
    });
  });

  it('binds one package per transaction: a new one-time key for the same transaction gets no second package (8.2.7)', async () => {
    const { cloud, order } = await world();
    const modem = new SimModem();
    const { transactionId, response } = await authenticated(cloud, modem, order.matchingId);
    const client = await es9(cloud.smdpAddress, 'authenticateClient', { transactionId, authenticateServerResponse: b64(response) }, 5000);
    const field = (name: string) => decodeTlv(new Uint8Array(Buffer.from(client[name] as string, 'base64')));
    const prepare = () =>
      modem.euicc.prepareDownload({ smdpSigned2: field('smdpSigned2'), smdpSignature2: field('smdpSignature2'), smdpCertificate: field('smdpCertificate') });
    const first = await prepare();
    const bound = await es9(cloud.smdpAddress, 'getBoundProfilePackage', { transactionId, prepareDownloadResponse: b64(first) }, 5000);
    // The same request again (a lost answer) gets the same package; a second key does not get another.
    expect((await es9(cloud.smdpAddress, 'getBoundProfilePackage', { transactionId, prepareDownloadResponse: b64(first) }, 5000)).boundProfilePackage).toBe(
      bound.boundProfilePackage,
    );
    const second = await prepare();
    expect(await refusal(es9(cloud.smdpAddress, 'getBoundProfilePackage', { transactionId, prepareDownloadResponse: b64(second) }, 5000))).toMatchObject({
      kind: 'refused',
      subjectCode: '8.2.7',
      reasonCode: '3.8',
    });
  });

  it("counts a notification only with the eUICC's signature: a forged delete changes nothing, the real one does", async () => {
    const { cloud, order, orders } = await world();
    const modem = new SimModem();
    const { iccid } = await new Lpa(modem.euicc).download(order.activationCode);
    expect(orders().find((o) => o.matchingId === order.matchingId)?.state).toBe('installed');
    // A delete signed by a key of the sender's own, with the real certificates attached.
    const pending = decodeTlv(
      (await (async () => {
        await modem.euicc.deleteProfile(iccid).catch(() => undefined);
        const [n] = await modem.euicc.listNotifications();
        return modem.euicc.retrieveNotification(n!.seqNumber);
      })())!,
    );
    const [tbs, , euiccCertificate, eumCertificate] = pending.children!;
    const keys = await crypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
    const forged = otherSignedNotification(
      { seqNumber: 99, event: 'delete', notificationAddress: cloud.smdpAddress, iccid },
      await sign(encodeTlv(tbs!), keys.privateKey),
      euiccCertificate!,
      eumCertificate!,
    );
    await es9(cloud.smdpAddress, 'handleNotification', { pendingNotification: b64(forged) }, 5000);
    expect(orders().find((o) => o.matchingId === order.matchingId)?.state).toBe('installed');
    await es9(cloud.smdpAddress, 'handleNotification', { pendingNotification: b64(encodeTlv(pending)) }, 5000);
    expect(orders().find((o) => o.matchingId === order.matchingId)?.state).toBe('deleted');
  });

  it('answers what is not ES9+ with functionExecutionStatus and the right HTTP status', async () => {
    const { cloud } = await world();
    const post = (body: string, headers: Record<string, string> = { 'x-admin-protocol': 'gsma/rsp/v2.2.0' }) =>
      new Promise<{ status: number; json: unknown }>((resolve, reject) => {
        const call = request(
          `https://${cloud.smdpAddress}/gsma/rsp2/es9plus/initiateAuthentication`,
          { method: 'POST', ca: testPki.ci.certificate, headers: { 'content-type': 'application/json', ...headers } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (c: Buffer) => chunks.push(c));
            response.on('end', () => resolve({ status: response.statusCode!, json: JSON.parse(Buffer.concat(chunks).toString()) }));
          },
        );
        call.on('error', reject);
        call.end(body);
      });
    const failed = (subjectCode: string, reasonCode: string) => ({
      header: { functionExecutionStatus: { status: 'Failed', statusCodeData: expect.objectContaining({ subjectCode, reasonCode }) } },
    });
    expect(await post('{not json')).toEqual({ status: 400, json: failed('1.2', '2.1') });
    expect(await post(JSON.stringify({ pad: 'x'.repeat(70_000) }))).toEqual({ status: 413, json: failed('1.2', '2.3') });
    expect(await post('{}', {})).toEqual({ status: 400, json: failed('1.2', '2.1') });
    expect(await post('{}')).toEqual({ status: 200, json: failed('1.2', '2.1') });
    expect(await post(JSON.stringify({ euiccChallenge: 'AAAA', euiccInfo1: 'vyAA', smdpAddress: 'elsewhere.example' }))).toEqual({
      status: 200,
      json: failed('1.2', '2.1'),
    });
  });
});
