// @sinonjs/fake-timers for a service worker's scope, bundled by tsup into dist/sw-fake-timers.global.js
// (an IIFE that sets `__pwbsFakeTimers`), which serviceWorkerClock.ts prepends to worker scripts.
export { withGlobal } from '@sinonjs/fake-timers';
