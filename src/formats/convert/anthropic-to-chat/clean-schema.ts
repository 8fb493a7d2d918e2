type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keywords whose value is a map of name → subschema (the names themselves are data, never stripped). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is one subschema. */
const SCHEMA_VALUES = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'unevaluatedItems',
  'unevaluatedProperties',
  'propertyNames',
  'contains',
  'not',
  'if',
  'then',
  'else',
]);
/** Keywords whose value is a list of subschemas. */
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

/**
 * A tool's `input_schema` as a clean Chat `parameters` schema: `$schema` (Claude Code sends the
 * 2020-12 URI; strict providers reject it) and the provider's `strip` keywords are removed at
 * every level (case 22), saying what they said with kept keywords where that is possible. Property names, `enum`/`const`/`default` values are data and untouched.
 * Returns a new object; the input is not modified.
 */
export function cleanSchema(schema: Json, strip: ReadonlySet<string>): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema') continue;
    if (strip.has(key)) {
      keepMeaning(key, value, schema, out, strip);
      continue;
    }
    out[key] = cleanKeyword(key, value, strip);
  }
  return out;
}

/**
 * A stripped keyword said something a kept one can say too (Gemini refuses `const` and the
 * exclusive bounds): `const: v` → `enum: [v]` (`"deleted"` stays the one value the model may send),
 * `exclusiveMinimum: n` → `minimum` (n + 1 for integers), `exclusiveMaximum` likewise.
 */
function keepMeaning(key: string, value: unknown, schema: Json, out: Json, strip: ReadonlySet<string>): void {
  const integer = schema.type === 'integer';
  if (key === 'const' && !('enum' in schema) && !strip.has('enum')) out.enum = [value];
  else if (key === 'exclusiveMinimum' && typeof value === 'number' && !('minimum' in schema) && !strip.has('minimum'))
    out.minimum = integer && Number.isInteger(value) ? value + 1 : value;
  else if (key === 'exclusiveMaximum' && typeof value === 'number' && !('maximum' in schema) && !strip.has('maximum'))
    out.maximum = integer && Number.isInteger(value) ? value - 1 : value;
}

function cleanKeyword(key: string, value: unknown, strip: ReadonlySet<string>): unknown {
  if (SCHEMA_MAPS.has(key) && isObject(value)) {
    const map: Json = {};
    for (const [name, sub] of Object.entries(value)) map[name] = isObject(sub) ? cleanSchema(sub, strip) : sub;
    return map;
  }
  if (SCHEMA_VALUES.has(key)) {
    if (isObject(value)) return cleanSchema(value, strip);
    if (Array.isArray(value)) return value.map((sub) => (isObject(sub) ? cleanSchema(sub, strip) : sub)); // draft-4 tuple items
    return value;
  }
  if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
    return value.map((sub) => (isObject(sub) ? cleanSchema(sub, strip) : sub));
  }
  return value;
}
