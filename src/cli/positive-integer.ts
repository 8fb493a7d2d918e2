import { InvalidArgumentError } from 'commander';

/**
 * An option's value as a whole number above 0 (`8192`); anything else (`8k`, `1.5`, `0`, `abc`)
 * is a usage error naming the option, never a silently different number.
 */
export function positiveInteger(value: string): number {
  const n = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0)
    throw new InvalidArgumentError('expected a whole number above 0, e.g. 8192');
  return n;
}
