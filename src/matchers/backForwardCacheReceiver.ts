import { testBackForwardCache, type BackForwardCacheResult } from '../bfcache/bfcache.js';
import { wrongReceiver } from './engine.js';
import { isPage } from '../cdp/guards.js';

function isResult(value: unknown): value is BackForwardCacheResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as BackForwardCacheResult).restored === 'boolean' &&
    Array.isArray((value as BackForwardCacheResult).reasons)
  );
}

/** The result to assert on: given, or obtained by testing the page (DevTools' button). */
export async function backForwardCacheResult(
  received: unknown,
  matcher: string,
  timeout: number | undefined,
): Promise<{ result: BackForwardCacheResult; label: string }> {
  if (isResult(received)) return { result: received, label: 'expect(result)' };
  if (isPage(received)) return { result: await testBackForwardCache(received, { timeout }), label: 'expect(page)' };
  throw wrongReceiver(matcher, 'a page or the result of testBackForwardCache()', received);
}
