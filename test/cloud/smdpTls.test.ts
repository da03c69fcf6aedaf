import { connect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { startCloud, type CloudState } from '../../cloud/server';
import { defaultScenario } from '../../shared/scenario';

/**
 * The SM-DP+'s TLS identity is made once and kept in the cloud's state: the next start serves the
 * same certificate without making a key, and makes a new one only when the kept one names other
 * addresses or cannot be used.
 */
const empty: CloudState = { tokens: { access: [], refresh: [] }, orders: [], devices: [] };

/** Starts a cloud from `state`; what it asks to keep, and the SHA-256 of the certificate its SM-DP+ serves. */
async function served(state: CloudState): Promise<{ kept: CloudState[]; fingerprint: string }> {
  const kept: CloudState[] = [];
  const cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0, state, onChange: (next) => kept.push(next) });
  try {
    const port = Number(cloud.smdpAddress.split(':')[1]);
    const fingerprint = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
        resolve(socket.getPeerCertificate().fingerprint256);
        socket.end();
      });
      socket.once('error', reject);
    });
    return { kept, fingerprint };
  } finally {
    await cloud.close();
  }
}

describe("the SM-DP+'s TLS identity", () => {
  it('is made at the first start, kept, and served again at the next without a new one', async () => {
    const first = await served(empty);
    expect(first.kept).toHaveLength(1);
    const { smdpTls, smdpPort } = first.kept[0]!;
    expect(smdpTls).toMatchObject({ hosts: ['127.0.0.1', 'localhost'], key: expect.stringMatching(/^-----BEGIN PRIVATE KEY-----/) });
    expect(smdpPort).toBeGreaterThan(0);
    const again = await served(first.kept[0]!);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(again.kept).toEqual([]);
  });

  it('is made again when the kept one names other addresses, or TLS cannot use it', async () => {
    const first = await served(empty);
    const state = first.kept[0]!;
    const elsewhere = await served({ ...state, smdpTls: { ...state.smdpTls!, hosts: ['smdp.example.invalid'] } });
    expect(elsewhere.fingerprint).not.toBe(first.fingerprint);
    expect(elsewhere.kept[0]!.smdpTls!.hosts).toEqual(['127.0.0.1', 'localhost']);
    const damaged = await served({
      ...state,
      smdpTls: { ...state.smdpTls!, cert: '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n' },
    });
    expect(damaged.fingerprint).not.toBe(first.fingerprint);
    expect(damaged.kept[0]!.smdpTls!.cert).not.toBe(state.smdpTls!.cert);
  });
});
