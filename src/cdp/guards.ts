/**
 * `Array.isArray` that keeps the element type: the built-in narrows a `readonly T[]` to `any[]`,
 * and input checks run on values typed by the signature but sent by anyone.
 */
export function isArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}
