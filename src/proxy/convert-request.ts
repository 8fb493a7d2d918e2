import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type {
  ConvertedRequest,
  Converter,
  ConvertOptions,
  ProviderQuirks,
  ToolsStage,
} from '../formats/convert/types.js';
import { isStandIn, type LiftPlan, liftStrings, spliceLifted, withRaw } from '../formats/json-lift.js';
import { withFields } from '../formats/with-fields.js';
import { GatewayError } from './gateway-error.js';
import type { RequestFacts } from './request-body.js';
import type { KeptTools, ToolsMemo } from './tools-memo.js';
import { encodeUtf8 } from './utf8.js';

export interface LiftLimits {
  /** Smaller bodies are parsed whole: lifting pays off on the long texts of real coders' requests. */
  minBody: number;
  /** Shorter strings (and objects) stay in the parsed text. */
  minBytes: number;
}

const LIFT_LIMITS: LiftLimits = { minBody: 16 * 1024, minBytes: 256 };
/**
 * Marks one request's lifted values: 48 random bits, new for every request, so no client text can
 * pose as a marker (randomUUID draws from a cached batch: cheaper than randomBytes per call).
 */
function liftTag(): string {
  const uuid = randomUUID();
  return `swx${uuid.slice(0, 8)}${uuid.slice(9, 13)}`;
}

export interface ConvertedBody {
  /** Path, context and warnings for the upstream request; its `body` holds markers when lifted: send `body` below. */
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
 * so errors and results are the same either way, but for what the lifted bytes keep as the
 * client wrote them (json-lift.ts): escapes, and in an object lifted whole its number literals,
 * key order and repeated keys, as passthrough does.
 */
export function convertRequestBody(
  converter: Converter,
  facts: RequestFacts,
  options: ConvertOptions,
  tools: ToolsMemo,
  limits: LiftLimits = LIFT_LIMITS,
): ConvertedBody {
  const { quirks } = options;
  const rule =
    facts.body.length < limits.minBody
      ? undefined
      : converter.tools
        ? converter.tools.liftable(quirks)
        : converter.liftable?.(quirks);
  if (rule !== undefined) {
    const lifted = convertLifted(converter, rule, facts.body, options, limits.minBytes, tools);
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
  tools: ToolsMemo,
): ConvertedBody | undefined {
  // Invalid UTF-8 would be copied as it is; the whole-body decode replaces it, as it always did.
  if (!isUtf8(body)) return undefined;
  const tag = liftTag();
  let lifted = liftStrings(body, rule, { minBytes, tag, wholeEnd: tools.endOfKept });
  if (lifted === undefined) return undefined;
  let converted: ConvertedRequest;
  try {
    const json: unknown = JSON.parse(lifted.text);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
    let convertOptions = options;
    if (lifted.wholes.length > 0) {
      // The tools, lifted whole: converted apart (or kept from an earlier request), spliced back
      // converted. Unless the parsed body's `tools` is that very stand-in (JSON.parse keeps the
      // last of repeated keys, also of a "tool\u0073" the walk does not match), it is converted whole.
      const [at, stage] = [lifted.wholes[0]!, converter.tools];
      if (lifted.wholes.length > 1 || stage === undefined) return undefined;
      if (!isStandIn((json as Record<string, unknown>).tools, lifted, at)) return undefined;
      const raw = lifted.raws[at]!;
      const kept = tools.get(stage, options.quirks, raw, () => prepareTools(stage, options.quirks, raw, minBytes));
      if (kept.bytes !== undefined) lifted = withRaw(lifted, at, kept.bytes);
      convertOptions = withFields(options, { preparedTools: kept.prepared });
    }
    converted = converter.request(json, convertOptions);
  } catch {
    return undefined; // converted whole, the error names the client's own text
  }
  if (converted.warnings.some((warning) => warning.includes(tag))) return undefined;
  const bytes = spliceLifted(JSON.stringify(converted.body), lifted);
  return bytes === undefined ? undefined : { converted, body: bytes, lifted: lifted.raws.length };
}

/**
 * The client's tools (their array's bytes) as `stage` converts them alone, as bytes to splice.
 * The values the stage copies as they are (liftableTools) are lifted out first and spliced back
 * into its result, so they reach the upstream as the client spelled them, as in the rest of a
 * lifted body; when that cannot be settled, the tools are parsed whole. Throws what JSON.parse or
 * stage.prepare throws.
 */
function prepareTools(stage: ToolsStage, quirks: ProviderQuirks, raw: Buffer, minBytes: number): KeptTools {
  const plan = stage.liftableTools?.(quirks);
  const tag = liftTag();
  const lifted = plan === undefined ? undefined : liftStrings(raw, plan, { minBytes, tag });
  if (lifted !== undefined) {
    try {
      const prepared = stage.prepare(JSON.parse(lifted.text), quirks);
      const bytes = prepared.json === undefined ? undefined : spliceLifted(prepared.json, lifted);
      const clean = !prepared.warnings.some((warning) => warning.includes(tag));
      if (clean && (prepared.json === undefined || bytes !== undefined)) return { prepared, bytes };
    } catch {
      // parsed whole below: the error names the client's own text
    }
  }
  const prepared = stage.prepare(JSON.parse(raw.toString('utf8')), quirks);
  return { prepared, bytes: prepared.json === undefined ? undefined : encodeUtf8(prepared.json) };
}
