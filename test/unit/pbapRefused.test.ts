import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pbapFailure } from '../../hardware/bluetooth/bluez/bluez';

/** obexd's answers when a phone does not allow contact sharing (field case c09), told apart from a phone out of reach. */
const fieldCase = JSON.parse(readFileSync('test/fixtures/field-cases/c09-pbap-refused.json', 'utf8')) as {
  obexd: { error: { name: string; message: string } };
};

describe('a phone that refuses its phonebook over BlueZ', () => {
  it('is a refusal, whichever way the phone says it', () => {
    const { name, message } = fieldCase.obexd.error;
    expect(pbapFailure(Object.assign(new Error(message), { type: name }), 'CreateSession').code).toBe('refused');
    for (const answer of ['Not Acceptable', 'Unauthorized', 'OBEX error 0xC6', 'response 0xD3', 'Service Unavailable'])
      expect(pbapFailure(new Error(answer), 'PullAll').code, answer).toBe('refused');
  });

  it('is a link that failed otherwise: the phone out of reach', () => {
    for (const answer of ['Connection refused (111)', 'Timed out waiting for response', 'Host is down'])
      expect(pbapFailure(new Error(answer), 'CreateSession').code, answer).toBe('notConnected');
  });
});
