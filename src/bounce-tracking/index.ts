// DevTools > Application > Bounce tracking mitigations ("Force run") and the Issues panel's
// bounce tracking issues.
export {
  bounceTrackingSupport,
  forceBounceTrackingMitigations,
  recordBounceTrackingIssues,
  type BounceTrackingIssues,
  type BounceTrackingSupport,
  type BounceTrackingIssue,
  type ForceRunOptions,
  type ForceRunResult,
} from './bounceTracking.js';
