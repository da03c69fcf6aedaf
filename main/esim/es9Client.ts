import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';
import { testPki } from '../../shared/rsp/testPki';

/** Where Debian, Fedora and Alpine keep the system's CA bundle (OpenSSL's SSL_CERT_FILE first). */
const systemBundles = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

/** `--smdp-ca`'s certificates, and the environment that names the system's (see {@link trustForEs9}) */
let configured: { named: string[]; env: NodeJS.ProcessEnv } = { named: [], env: process.env };
/** made at the first ES9+ call: reading the system's store is no work for the start */
let anchors: string[] | null = null;
/**
 * One agent for every ES9+ call, made with the anchors: one TLS context for all of them (a context
 * per connection, with a few hundred CAs, holds the event loop 20–35 ms), and connections kept alive.
 */
let agent: Agent | null = null;

/**
 * The CAs the LPA trusts for the SM-DP+'s TLS certificate (ES9+): Node's bundled roots, the
 * system's store (SSL_CERT_FILE or the distribution's bundle), NODE_EXTRA_CA_CERTS (which Node
 * itself ignores once a request names its CAs), the project's test CI (TEST ONLY, which issues the
 * bench SM-DP+'s) and `extra` (`--smdp-ca`). Throws an Error naming a file of `extra` that cannot
 * be read or holds no certificate; the system's files are taken when present.
 */
export function trustForEs9(extra: string[], env: NodeJS.ProcessEnv = process.env): void {
  const named = extra.flatMap((file) => {
    let found: string[];
    try {
      found = certificatesIn(file);
    } catch (error) {
      throw new Error(`--smdp-ca ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
    }
    if (found.length === 0) throw new Error(`--smdp-ca ${file}: no certificate in PEM`);
    return found;
  });
  configured = { named, env };
  anchors = null;
  agent?.destroy();
  agent = null;
}

/**
 * One agent, its sockets kept alive, and one TLS context for all of them: a context made from the
 * ~300 trusted CAs takes about 50 ms of the car's loop, which Node would otherwise spend again on
 * every new connection to the SM-DP+.
 */
function es9Agent(): Agent {
  return (agent ??= new Agent({ keepAlive: true, secureContext: createSecureContext({ ca: trustedCas() }) }));
}

function trustedCas(): string[] {
  if (anchors) return anchors;
  const optional = (file: string | undefined) => {
    try {
      return file ? certificatesIn(file) : [];
    } catch {
      return [];
    }
  };
  const { named, env } = configured;
  const system = env.SSL_CERT_FILE ? optional(env.SSL_CERT_FILE) : (systemBundles.map(optional).find((found) => found.length > 0) ?? []);
  anchors = [...new Set([...rootCertificates, ...system, ...optional(env.NODE_EXTRA_CA_CERTS), testPki.ci.certificate, ...named])];
  return anchors;
}

function certificatesIn(file: string): string[] {
  return readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** How an ES9+ call ended when it did not succeed: no answer, or the SM-DP+'s refusal with SGP.22's codes. */
export type Es9Outcome = { kind: 'network' } | { kind: 'refused'; subjectCode: string; reasonCode: string; message: string };

export class Es9CallError extends Error {
  /** `undelivered`: the SM-DP+ accepted the connection and closed it before TLS was up (its connections full): it never had the request */
  constructor(
    readonly outcome: Es9Outcome,
    readonly undelivered = false,
  ) {
    super(outcome.kind);
  }
}

/** The waits before calling again a request the SM-DP+ never had (its connections full): then the call fails as "network". */
export const undeliveredRetriesMs = [250, 500, 1000, 2000, 4000];

/**
 * One ES9+ function over HTTPS (SGP.22 §6.5): POST of a JSON body to
 * `https://<address>/gsma/rsp2/es9plus/<function>` with the X-Admin-Protocol header, the server's
 * certificate checked against the CAs the LPA trusts (see {@link trustForEs9}). Resolves with the
 * JSON answer (an empty object for 204); rejects with Es9CallError. A request the SM-DP+ never had
 * (the connection accepted and closed before TLS was up: a loaded SM-DP+ turning it away) is sent
 * again after the waits of `undeliveredRetriesMs`, which is safe: nothing of it reached the SM-DP+.
 */
export async function es9(
  address: string,
  name: string,
  body: object,
  timeoutMs: number,
  waits: readonly number[] = undeliveredRetriesMs,
): Promise<Record<string, unknown>> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await es9Once(address, name, body, timeoutMs);
    } catch (error) {
      if (!(error instanceof Es9CallError && error.undelivered) || attempt >= waits.length) throw error;
      await new Promise((resolve) => setTimeout(resolve, waits[attempt]));
    }
  }
}

function es9Once(address: string, name: string, body: object, timeoutMs: number): Promise<Record<string, unknown>> {
  const url = new URL(`https://${address}/gsma/rsp2/es9plus/${name}`);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const call = request(
      url,
      {
        method: 'POST',
        agent: es9Agent(),
        timeout: timeoutMs,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'x-admin-protocol': 'gsma/rsp/v2.2.2',
          'user-agent': 'gsma-rsp-lpad',
        },
      },
      (response) => {
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
      },
    );
    // (accepted, then closed before TLS was up: the SM-DP+ turned the connection away, and never had
    // the request; refused outright, nothing listens there, and calling again would not help)
    let accepted = false;
    let secured = false;
    call.on('socket', (socket) => {
      // A kept-alive connection is up already; a new one is watched until the call ends (listeners
      // left on a reused socket would pile up with every call).
      if (!socket.connecting) {
        accepted = secured = true;
        return;
      }
      const connected = () => (accepted = true);
      const securedNow = () => (secured = true);
      socket.once('connect', connected);
      socket.once('secureConnect', securedNow);
      call.once('close', () => {
        socket.off('connect', connected);
        socket.off('secureConnect', securedNow);
      });
    });
    call.on('timeout', () => call.destroy());
    // (a kept-alive connection the SM-DP+ closed as the request went out: it never read it, as Node's
    // documentation of reusedSocket says; sent again like one turned away)
    call.on('error', (error: NodeJS.ErrnoException) =>
      reject(new Es9CallError({ kind: 'network' }, (accepted && !secured) || (call.reusedSocket && error.code === 'ECONNRESET'))),
    );
    call.end(payload);
  });
}
