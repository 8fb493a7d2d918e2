import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import type { ConvertedRequest, Converter, ConvertOptions } from '../formats/convert/types.js';
import { type LiftPlan, liftStrings, spliceLifted } from '../formats/json-lift.js';
import { GatewayError } from './gateway-error.js';
import type { RequestFacts } from './request-body.js';
import { encodeUtf8 } from './utf8.js';

export interface LiftLimits {
  /** Smaller bodies are parsed whole: lifting pays off on the long texts of real coders' requests. */
  minBody: number;
  /** Shorter strings (and objects) stay in the parsed text. */
  minBytes: number;
}

const LIFT_LIMITS: LiftLimits = { minBody: 16 * 1024, minBytes: 256 };
/** Marks lifted strings; random per process, so no client text can pose as a marker by accident. */
const LIFT_TAG = `swx${randomBytes(6).toString('hex')}`;

export interface ConvertedBody {
  converted: ConvertedRequest;
  /** The upstream request body. */
  body: Buffer;
  /** How many long values were copied from the client's bytes instead of parsed (0: converted whole). */
  lifted: number;
}

/**
 * The client's request converted for the upstream, as the bytes to send. Large bodies go
 * through formats/json-lift.ts when the converter allows it: the long texts are not decoded,
 * parsed, re-escaped and re-encoded but copied as the client sent them. Whatever the lifted
 * path cannot settle (malformed JSON, an error, a marker it cannot splice) is converted whole,
 * so errors and results are the same either way.
 */
export function convertRequestBody(
  converter: Converter,
  facts: RequestFacts,
  options: ConvertOptions,
  limits: LiftLimits = LIFT_LIMITS,
): ConvertedBody {
  const rule = facts.body.length >= limits.minBody ? converter.liftable?.(options.quirks) : undefined;
  if (rule !== undefined) {
    const lifted = convertLifted(converter, rule, facts.body, options, limits.minBytes);
    if (lifted !== undefined) return lifted;
  }
  if (!facts.json) throw new GatewayError('invalid_request', 'request body is not a JSON object', 'conversion');
  const converted = converter.request(facts.json, options);
  return { converted, body: encodeUtf8(JSON.stringify(converted.body)), lifted: 0 };
}

function convertLifted(
  converter: Converter,
  rule: LiftPlan,
  body: Buffer,
  options: ConvertOptions,
  minBytes: number,
): ConvertedBody | undefined {
  // Invalid UTF-8 would be copied as it is; the whole-body decode replaces it, as it always did.
  if (!isUtf8(body)) return undefined;
  const lifted = liftStrings(body, rule, { minBytes, tag: LIFT_TAG });
  if (lifted === undefined) return undefined;
  let converted: ConvertedRequest;
  try {
    const json: unknown = JSON.parse(lifted.text);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
    converted = converter.request(json, options);
  } catch {
    return undefined; // converted whole, the error names the client's own text
  }
  if (converted.warnings.some((warning) => warning.includes(LIFT_TAG))) return undefined;
  const bytes = spliceLifted(JSON.stringify(converted.body), lifted);
  return bytes === undefined ? undefined : { converted, body: bytes, lifted: lifted.raws.length };
}
