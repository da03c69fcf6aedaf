import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Carrier } from '../../cloud/carrier/carrier';
import { Es9Error } from '../../cloud/smdp/errors';
import { Smdp } from '../../cloud/smdp/es9plus';
import { Orders } from '../../cloud/smdp/orders';
import { testIdentities } from '../../cloud/smdp/identities';
import { SimModem } from '../../hardware/modem/sim/simModem';
import { ctxParams1 } from '../../shared/es10/es10b';
import { decodeTlv } from '../../shared/es10/tlv';

/**
 * ES9+ AuthenticateClient against mutated AuthenticateServerResponses (the eUICC's signed answer,
 * its certificates with their GeneralizedTimes, their constructed and primitive types): every one
 * is answered with SGP.22's codes (an Es9Error) or accepted, never an error past the parser.
 */
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('ES9+ AuthenticateClient under mutated DER', () => {
  it('answers 3,000 mutations of a real answer with SGP.22 codes only', async () => {
    const orders = new Orders(Date.now);
    const order = orders.releaseForBench(null);
    const smdp = new Smdp(await testIdentities(), () => 'smdp.test', orders, new Carrier([]), Date.now);
    const modem = new SimModem();
    const initiate = async () =>
      smdp.initiateAuthentication({
        euiccChallenge: b64(await modem.euicc.getEuiccChallenge()),
        euiccInfo1: b64(await modem.euicc.getEuiccInfo1()),
        smdpAddress: 'smdp.test',
      });
    const init = await initiate();
    const field = (value: string) => decodeTlv(new Uint8Array(Buffer.from(value, 'base64')));
    const answer = await modem.euicc.authenticateServer({
      serverSigned1: field(init.serverSigned1),
      serverSignature1: field(init.serverSignature1),
      euiccCiPKIdToBeUsed: field(init.euiccCiPKIdToBeUsed),
      serverCertificate: field(init.serverCertificate),
      ctxParams1: ctxParams1({ matchingId: order.matchingId, tac: Uint8Array.of(0x35, 0x29, 0x06, 0x11) }),
    });
    // (a mutation: bytes changed, tags made constructed or universal, the answer cut short or grown)
    const mutation = fc.record({
      changes: fc.array(
        fc.record({ at: fc.nat(answer.length - 1), byte: fc.oneof(fc.nat(255), fc.constantFrom(0x30, 0x31, 0x18, 0x17, 0x24, 0x23, 0x80, 0x00, 0xff)) }),
        { minLength: 1, maxLength: 6 },
      ),
      cut: fc.option(fc.nat(answer.length), { nil: undefined }),
    });
    const outcomes = { refused: 0, accepted: 0 };
    await fc.assert(
      fc.asyncProperty(mutation, async ({ changes, cut }) => {
        const mutated = Uint8Array.from(answer);
        for (const { at, byte } of changes) mutated[at] = byte;
        const { transactionId } = await initiate();
        try {
          await smdp.authenticateClient({ transactionId, authenticateServerResponse: b64(cut === undefined ? mutated : mutated.subarray(0, cut)) });
          outcomes.accepted += 1;
        } catch (error) {
          if (!(error instanceof Es9Error)) throw error;
          outcomes.refused += 1;
        }
      }),
      { numRuns: 3000 },
    );
    expect(outcomes.refused).toBeGreaterThan(0);
  }, 120_000);
});
