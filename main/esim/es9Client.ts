import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import { testPki } from '../../shared/rsp/testPki';

const trusted = [...rootCertificates, testPki.ci.certificate];

/** How an ES9+ call ended when it did not succeed: no answer, or the SM-DP+'s refusal with SGP.22's codes. */
export type Es9Outcome = { kind: 'network' } | { kind: 'refused'; subjectCode: string; reasonCode: string; message: string };

export class Es9CallError extends Error {
  constructor(readonly outcome: Es9Outcome) {
    super(outcome.kind);
  }
}

/**
 * One ES9+ function over HTTPS (SGP.22 §6.5): POST of a JSON body to
 * `https://<address>/gsma/rsp2/es9plus/<function>` with the X-Admin-Protocol header, the server's
 * certificate checked against the roots the LPA trusts: the system's, and the project's test CI
 * (TEST ONLY), which issues the bench SM-DP+'s. Resolves with the JSON answer (an empty object for
 * 204); rejects with Es9CallError.
 */
export function es9(address: string, name: string, body: object, timeoutMs: number): Promise<Record<string, unknown>> {
  const url = new URL(`https://${address}/gsma/rsp2/es9plus/${name}`);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const call = request(url, {
      method: 'POST',
      ca: trusted,
      timeout: timeoutMs,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'x-admin-protocol': 'gsma/rsp/v2.2.2', 'user-agent': 'gsma-rsp-lpad' },
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', () => reject(new Es9CallError({ kind: 'network' })));
      response.on('end', () => {
        if (response.statusCode === 204) return resolve({});
        let json: { header?: { functionExecutionStatus?: { status?: string; statusCodeData?: Record<string, string> } } } & Record<string, unknown>;
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof json;
        } catch {
          return reject(new Es9CallError({ kind: 'network' }));
        }
        const status = json.header?.functionExecutionStatus;
        if (status?.status === 'Executed-Success' && response.statusCode === 200) return resolve(json);
        if (status?.status === 'Failed') {
          const { subjectCode = '', reasonCode = '', message = '' } = status.statusCodeData ?? {};
          return reject(new Es9CallError({ kind: 'refused', subjectCode, reasonCode, message }));
        }
        reject(new Es9CallError({ kind: 'network' }));
      });
    });
    call.on('timeout', () => call.destroy());
    call.on('error', () => reject(new Es9CallError({ kind: 'network' })));
    call.end(payload);
  });
}
