// The plumbing under every feature: CDP sessions, which Chromium to launch, errors, waiting.
export { resolveChromiumExecutable, type ResolveChromiumOptions } from './browser.js';
export {
  BackgroundServicesError,
  BackgroundServicesTimeoutError,
  MissingCommandError,
  TargetClosedError,
  UnsupportedBrowserError,
} from './errors.js';
