// Notifications the user sees on the desktop and clicks: a private session D-Bus, the desktop's
// notification service on it, and what the origin still has open.
export { startDesktopNotifications, type DesktopNotifications, type StartDesktopNotificationsOptions } from './desktop.js';
export type { DesktopNotification, NotificationUrgency, NotificationClosedBy } from './notification.js';
export type { DesktopNotificationFilter, NotificationTarget, ClickNotificationTarget } from './filter.js';
export { getOpenNotifications, type OpenNotification } from './open.js';
