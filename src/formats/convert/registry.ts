import type { ApiFormat } from '../api-format.js';
import type { Converter } from './types.js';

/** Every (client format → upstream format) pair Swixter converts. Same format needs none (passthrough). */
const CONVERTERS: readonly Converter[] = [];

export function findConverter(client: ApiFormat, upstream: ApiFormat): Converter | undefined {
  return CONVERTERS.find((c) => c.client === client && c.upstream === upstream);
}

export function supportedPairs(): Array<[ApiFormat, ApiFormat]> {
  return CONVERTERS.map((c) => [c.client, c.upstream]);
}
