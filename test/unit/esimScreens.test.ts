import { describe, expect, it } from 'vitest';
import { translate } from '../../shared/i18n';
import type { EsimContext, EsimFailure } from '../../main/machines/esim';
import { esimRows } from '../../main/screens/esim';
import type { ScreenInput } from '../../main/screens/model';

/** The Personal eSIM page after a failed set-up: the reason in words the driver can act on, and a retry. */
function page(failure: EsimFailure, language: 'en' | 'ja' = 'en') {
  const context = { failure } as EsimContext;
  const input = { esim: { state: 'failed', context }, bluetooth: null, telephone: null, t: (key, params) => translate(language, key, params) } as ScreenInput;
  return esimRows(input).map((r) => [r.id, r.label]);
}

describe('the Personal eSIM page after a failure', () => {
  it('gives one reason, the one that stopped it, the code for a support call, and Try again', () => {
    expect(page({ kind: 'refused', subjectCode: '8.8.5', reasonCode: '4.1', message: '' })).toEqual([
      ['message', 'The eSIM order has expired. Try again: the car asks for a new one.'],
      ['code', 'Code for BMW support: SGP.22 8.8.5/4.1'],
      ['retry', 'Try again'],
    ]);
    // (no "check the connection" above a reason that has nothing to do with the connection)
    expect(page({ kind: 'errorReason', reason: 10 })).toEqual([
      ['message', expect.stringMatching(/no room left/)],
      ['code', 'Code for BMW support: SGP.22 errorReason 10'],
      ['retry', 'Try again'],
    ]);
    expect(page({ kind: 'errorReason', reason: 8 })[0]![1]).toBe(
      'The download failed a security check (error 8). Try again, or contact BMW support with the code.',
    );
    expect(page({ kind: 'refused', subjectCode: '8.2.6', reasonCode: '3.8', message: '' })[0]![1]).toContain('code 8.2.6/3.8');
    expect(page({ kind: 'network' })).toEqual([
      ['message', expect.stringMatching(/NTT DOCOMO could not be reached/)],
      ['retry', 'Try again'],
    ]);
    expect(page({ kind: 'modem', code: 'gone' })[0]![1]).toBe('The cellular module did not respond (gone). Try again.');
    expect(page({ kind: 'errorReason', reason: 11 }, 'ja')).toEqual([
      ['message', 'ダウンロードが何度も中断されました。電波の良い場所でもう一度お試しください。'],
      ['code', 'BMWサポート用のコード: SGP.22 errorReason 11'],
      ['retry', '再試行'],
    ]);
  });
});
