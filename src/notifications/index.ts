// Notifications the user sees on the desktop and clicks: a private session D-Bus, the desktop's
// notification service on it, and what the origin still has open.
export {
  startDesktopNotifications,
  type DesktopNotifications,
  type DesktopNotification,
  type DesktopNotificationFilter,
  type NotificationTarget,
  type ClickNotificationTarget,
  type NotificationUrgency,
  type NotificationClosedBy,
  type StartDesktopNotificationsOptions,
} from './desktop.js';
export { getOpenNotifications, type OpenNotification } from './open.js';
