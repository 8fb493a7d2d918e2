import { describe, expect, it } from 'vitest';
import { clientSecrets, mask, redact } from './redact.js';

describe('redact', () => {
  it('masks the known secrets, and a short secret entirely', () => {
    expect(redact('key ZZPROFILEKEY1234567890abc here', ['ZZPROFILEKEY1234567890abc'])).toBe('key ZZP…0abc here');
    expect(mask('short-key9')).toBe('***'); // 10 characters: no 7 of them shown
  });

  it.each([
    ['Authorization: bearer abcdefghijklmnop1234', 'Authorization: bearer abc…1234'],
    ['{"api_key": "mysecretvalue123"}', '{"api_key": "mys…e123"}'],
    ['{"Authorization":"Token12345678"}', '{"Authorization":"***"}'],
    ['/v1/x?alt=sse&key=AIzaSyDUMMYKEYVALUE123456', '/v1/x?alt=sse&key=AIz…3456'],
    ['groq gsk_abcdefghijklmnopqrstuvwxyz12', 'groq gsk…yz12'],
    ['xai xai-abcdefghijklmnopqrstuvwx', 'xai xai…uvwx'],
    ['google AIzaSyABCDEFGHIJKLMNOPQRSTUV', 'google AIz…STUV'],
  ])('masks what looks like a credential: %s', (text, expected) => {
    expect(redact(text, [])).toBe(expected);
  });

  it('shapes: false masks only the known secrets (a client-bound body keeps the rest as sent)', () => {
    expect(
      redact('gsk_abcdefghijklmnopqrstuvwxyz12 and ZZPROFILEKEY1234567890abc', ['ZZPROFILEKEY1234567890abc'], {
        shapes: false,
      }),
    ).toBe('gsk_abcdefghijklmnopqrstuvwxyz12 and ZZP…0abc');
  });

  it("clientSecrets: the client's credentials, without a Bearer prefix", () => {
    expect(clientSecrets({ 'x-api-key': 'k-one', authorization: 'Bearer k-two', 'x-goog-api-key': undefined })).toEqual(
      ['k-one', 'k-two'],
    );
  });
});
