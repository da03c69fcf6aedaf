import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimModem } from '../../hardware/modem/sim/simModem';
import { Lpa, type LpaError } from '../../main/esim/lpa';
import { parseActivationCode } from '../../shared/esim';

/** SGP.22 §4.1 activation codes in every form carriers send them (field cases c12, c13). */
const fieldCase = (name: string) => readFileSync(`test/fixtures/field-cases/${name}`, 'utf8').trim().split('\n');

describe('activation codes', () => {
  it('reads codes without LPA: and with lpa: (c13)', () => {
    expect(fieldCase('c13-activation-code-forms.txt').map(parseActivationCode)).toEqual([
      { smdpAddress: 'smdp.example.net', matchingId: 'ABCD1-EFGH2-IJKL3-MNOP4', smdpOid: '1.3.6.1.4.1.99999', confirmationCodeRequired: false },
      { smdpAddress: 'rsp.example.com', matchingId: 'QX7-4HT2-9LMB-0PZC', smdpOid: null, confirmationCodeRequired: false },
    ]);
  });

  it('keeps the confirmation-code flag (c12)', () => {
    expect(parseActivationCode(fieldCase('c12-activation-code-cc-required.txt')[0]!)).toEqual({
      smdpAddress: 'rsp.example.com',
      matchingId: 'QX7-4HT2-9LMB-0PZC',
      smdpOid: null,
      confirmationCodeRequired: true,
    });
  });

  it('reads every form SGP.22 allows, and refuses what it does not', () => {
    const host = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z0-9]{1,8}){1,3}$/);
    const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });
    const token = fc.stringMatching(/^[A-Z0-9-]{0,24}$/);
    const oid = fc.option(fc.stringMatching(/^[0-9]+(\.[0-9]+){1,8}$/), { nil: undefined });
    const flag = fc.constantFrom(undefined, '', '1');
    const prefix = fc.constantFrom('', 'LPA:', 'lpa:', 'Lpa:');
    fc.assert(
      fc.property(prefix, host, port, token, oid, flag, (pre, h, p, t, o, f) => {
        const address = p === undefined ? h : `${h}:${p}`;
        const fields = ['1', address, t, ...(o !== undefined || f !== undefined ? [o ?? ''] : []), ...(f !== undefined ? [f] : [])];
        expect(parseActivationCode(`${pre}${fields.join('$')}`)).toEqual({
          smdpAddress: address,
          matchingId: t,
          smdpOid: o ?? null,
          confirmationCodeRequired: f === '1',
        });
      }),
    );
    for (const bad of [
      '',
      'LPA:',
      'LPA:2$smdp.example.net$X',
      'LPA:1$$X',
      'LPA:1$smdp.example.net',
      'LPA:1$smdp.example.net$X$1.2$2',
      'LPA:1$smdp.example.net$X$$1$extra',
      'LPA:1$bad host$X',
    ]) {
      expect(parseActivationCode(bad), bad).toBeNull();
    }
  });

  it('stops a download that needs a confirmation code before any ES9+ call, and says why', async () => {
    const lpa = new Lpa(new SimModem().euicc);
    // (an SM-DP+ that does not exist: an ES9+ call would end as a network failure)
    const failure = await lpa.download('LPA:1$127.0.0.1:9$QX7-4HT2$$1').catch((error: unknown) => (error as LpaError).failure);
    expect(failure).toEqual({ kind: 'confirmationCodeRequired' });
  });
});
