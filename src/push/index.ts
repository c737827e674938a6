// A local Web Push service (RFC 8030/8291/8292): pages subscribe to it, a real backend pushes
// through it, and it delivers to the service worker.
export {
  startPushService,
  MAX_PUSH_MESSAGE_BYTES,
  type PushService,
  type PushServiceServer,
  type PushServiceSubscription,
  type PushMessage,
  type PushMessageState,
  type PushUrgency,
  type RefusedPush,
  type PushDeliveryTarget,
} from './service.js';
export type { PushMessageFilter } from './filter.js';
export type { VapidClaims } from './vapid.js';
