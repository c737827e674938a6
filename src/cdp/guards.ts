import type { Page } from '@playwright/test';

/**
 * `Array.isArray` that keeps the element type: the built-in narrows a `readonly T[]` to `any[]`,
 * and input checks run on values typed by the signature but sent by anyone.
 */
export function isArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

/** A Playwright `Page`, told apart from a context, a browser, a result or anything else a helper or matcher may be given. */
export function isPage(value: unknown): value is Page {
  return typeof value === 'object' && value !== null && typeof (value as Page).goto === 'function' && typeof (value as Page).context === 'function';
}
