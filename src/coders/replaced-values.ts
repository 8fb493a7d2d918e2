// `apply` overwrites the model a user had written into a coder's file when a profile names one.
// The user's own value is remembered (config.json, coders.<coder>.applied.replaced), so that a
// later apply of a profile without a model puts it back instead of deleting the line Swixter wrote.
// Only model keys: the address and credentials are what apply is for, and the one-time backup
// keeps the file as it was before Swixter's first write.

/** What Swixter recorded after the last apply into one file. */
export interface AppliedKeys {
  /** Keys Swixter wrote there. */
  keys: readonly string[];
  /** The user's own values of keys among them that Swixter overwrote. */
  replaced: Readonly<Record<string, string>>;
}

export interface RestorePlan {
  /** Keys to delete (Swixter's, with no value of the user's behind them). */
  remove: string[];
  /** Keys to set back to the user's value. */
  restore: Record<string, string>;
}

/** Splits the keys an apply would delete into those to delete and those to give back. */
export function planRestore(remove: readonly string[], prior: AppliedKeys): RestorePlan {
  const out: RestorePlan = { remove: [], restore: {} };
  for (const key of remove) {
    const own = Object.hasOwn(prior.replaced, key) ? prior.replaced[key] : undefined;
    if (own !== undefined && prior.keys.includes(key)) out.restore[key] = own;
    else out.remove.push(key);
  }
  return out;
}

/**
 * The user's values to remember after this apply: the earlier ones minus those given back, plus
 * the values (strings, in `before`, the file as it was) of `written` keys that were the user's own
 * (Swixter had not written them), for the keys in `restorable`.
 */
export function nextReplaced(
  prior: AppliedKeys,
  before: Readonly<Record<string, unknown>>,
  written: readonly string[],
  restored: readonly string[],
  restorable: ReadonlySet<string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(prior.replaced))
    if (!restored.includes(key) && written.includes(key)) out[key] = value;
  for (const key of written) {
    const value = Object.hasOwn(before, key) ? before[key] : undefined;
    if (restorable.has(key) && !prior.keys.includes(key) && typeof value === 'string') out[key] = value;
  }
  return out;
}
