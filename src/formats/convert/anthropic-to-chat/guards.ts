import { ConversionError } from '../types.js';

/**
 * Cheap shape checks for client input, at the few places where a malformed value would
 * otherwise surface as a TypeError (a 500) instead of a 400 naming the place.
 */
export function requireString(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new ConversionError(`${where} must be a string`);
  return value;
}

export function requireObject<T extends object>(value: T | null | undefined, where: string): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConversionError(`${where} must be an object`);
  }
  return value;
}
