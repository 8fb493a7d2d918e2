import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

/**
 * A whole body decoded as its `content-encoding` says (gzip, deflate, br), for Swixter to read.
 * Swixter asks upstreams for `identity` whenever it reads an answer, but some compress anyway.
 * The body as it is when there is no encoding (or `identity`); undefined when the encoding is
 * unknown or the bytes do not decode (within `maxBytes`).
 */
export function decodedBody(bytes: Buffer, encoding: string | undefined, maxBytes: number): Buffer | undefined {
  const name = (encoding ?? '').trim().toLowerCase();
  if (name === '' || name === 'identity') return bytes;
  const limit = { maxOutputLength: maxBytes };
  try {
    if (name === 'gzip' || name === 'x-gzip') return gunzipSync(bytes, limit);
    if (name === 'br') return brotliDecompressSync(bytes, limit);
    if (name === 'deflate') {
      try {
        return inflateSync(bytes, limit); // zlib-wrapped, as the standard says
      } catch {
        return inflateRawSync(bytes, limit); // what some servers send under that name
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Whether a body with this `content-encoding` is compressed (anything but none or identity). */
export const isEncoded = (encoding: string | undefined): boolean => {
  const name = (encoding ?? '').trim().toLowerCase();
  return name !== '' && name !== 'identity';
};
