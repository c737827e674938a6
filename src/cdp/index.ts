// The plumbing under every feature: CDP sessions, which Chromium to launch, errors, waiting.
export {
  resolveChromiumExecutable,
  chooseChromium,
  describeChoice,
  type ResolveChromiumOptions,
  type ChooseChromiumInput,
  type BrowserChoice,
  type BrowserChoiceSource,
} from './browser.js';
export {
  BackgroundServicesError,
  BackgroundServicesTimeoutError,
  MissingCommandError,
  PageCrashedError,
  TargetClosedError,
  UnsupportedBrowserError,
  UnsupportedFeatureError,
} from './errors.js';
