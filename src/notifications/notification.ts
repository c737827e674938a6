// A notification as the desktop was asked to show it (org.freedesktop.Notifications' Notify).
import type { NotifyCall } from './server.js';

/** The freedesktop urgency levels (Chromium: `requireInteraction` is critical). */
export type NotificationUrgency = 'low' | 'normal' | 'critical';

/** Why a notification left the desktop. */
export type NotificationClosedBy =
  /** `closeNotification()`: the user dismissed it (NotificationClosed reason 2). */
  | 'user'
  /** Chromium withdrew it (`notification.close()`, or after a click was handled). */
  | 'browser'
  /** A newer notification with the same tag took its place. */
  | 'replaced';

/** What the desktop was asked to show: one `Notify` call, with its later clicks and closing. */
export interface DesktopNotification {
  /** The desktop's id for it (the one `Notify` returned). */
  id: number;
  /** `Chromium` (the browser's name, not the site's). */
  appName: string;
  title: string;
  /** The body the page gave, without the origin line Chromium puts before it. */
  body: string;
  /** The origin as Chromium shows it on the desktop: `localhost:3000`, `example.com`. */
  origin: string | undefined;
  /** The image Chromium handed the desktop (a `file://` URL of its own copy). */
  icon: string;
  /** Every action Chromium offered, with its label: the buttons (`'0'`, `'1'`…), `default`, `settings`. */
  actions: Array<{ key: string; label: string }>;
  /** The labels of the notification's buttons, in order (`actions: [{ title }]` on the page). */
  buttons: string[];
  urgency: NotificationUrgency | undefined;
  /** Every hint, as sent (image data shown as its D-Bus signature). */
  hints: Record<string, unknown>;
  /** Expiry in ms: -1 the desktop's default, 0 never (`requireInteraction`). */
  timeout: number;
  /** The action keys the test invoked, in order (`'default'` for a click on the body). */
  clicks: string[];
  /** Undefined while it is on the desktop. */
  closedBy: NotificationClosedBy | undefined;
}

/** @internal The urgency hint's values, in order (0, 1, 2). */
export const URGENCIES: readonly NotificationUrgency[] = ['low', 'normal', 'critical'];

/** Chromium writes the body as `<origin>\n\n<body>`. */
function splitBody(raw: string): { origin: string | undefined; body: string } {
  const at = raw.indexOf('\n\n');
  if (at >= 0) return { origin: raw.slice(0, at), body: raw.slice(at + 2) };
  return /^[^\s/]+$/.test(raw) ? { origin: raw, body: '' } : { origin: undefined, body: raw };
}

/** @internal */
export function toNotification(id: number, call: NotifyCall): DesktopNotification {
  const actions: Array<{ key: string; label: string }> = [];
  for (let i = 0; i + 1 < call.actions.length; i += 2) actions.push({ key: call.actions[i]!, label: call.actions[i + 1]! });
  const urgency = typeof call.hints.urgency === 'number' ? URGENCIES[call.hints.urgency] : undefined;
  return {
    id,
    appName: call.appName,
    title: call.summary,
    ...splitBody(call.body),
    icon: call.icon,
    actions,
    buttons: actions.filter((a) => /^\d+$/.test(a.key)).map((a) => a.label),
    urgency,
    hints: call.hints,
    timeout: call.timeout,
    clicks: [],
    closedBy: undefined,
  };
}
