export {
  probeBackgroundServicesSupport,
  FEATURES,
  FEATURE_TITLES,
  type SupportProbe,
  type Feature,
  type FeatureSupport,
  type BackgroundServicesSupport,
  type BrowserIdentity,
  type ProbeOptions,
} from './probe.js';
