import { isObject, type JsonObject } from './json.js';

/** Keywords whose value is a map of names → schemas (the names are data, never keywords). */
const NAMED_SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is instance data, copied as is. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples']);

/**
 * A copy of a JSON schema without the given keywords, at any depth. Property names are never
 * treated as keywords: stripping `format` keeps a property that is called `format`.
 */
export function stripSchemaKeywords(schema: JsonObject, keywords: ReadonlySet<string>): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(schema)) {
    if (keywords.has(name)) continue;
    let copy: unknown;
    if (DATA_KEYWORDS.has(name)) copy = value;
    else if (NAMED_SCHEMA_MAPS.has(name) && isObject(value)) copy = stripEach(value, keywords);
    else copy = stripValue(value, keywords);
    setOwn(out, name, copy);
  }
  return out;
}

function stripEach(map: JsonObject, keywords: ReadonlySet<string>): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(map)) setOwn(out, name, stripValue(value, keywords));
  return out;
}

function stripValue(value: unknown, keywords: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((entry) => stripValue(entry, keywords));
  return isObject(value) ? stripSchemaKeywords(value, keywords) : value;
}

/** Plain assignment would treat a property literally named `__proto__` as the prototype. */
function setOwn(target: JsonObject, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}
