// DevTools > Application > Back/forward cache: "Test back/forward cache" and its reasons.
export {
  testBackForwardCache,
  goBack,
  type BackForwardCacheResult,
  type BackForwardCacheOptions,
  type NotRestoredReason,
  type NotRestoredReasonName,
  type NotRestoredReasonType,
} from './bfcache.js';
