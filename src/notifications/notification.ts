// A notification as the desktop was asked to show it (org.freedesktop.Notifications' Notify).
import type { NotifyCall } from './server.js';

/** Chromium uses `critical` for `requireInteraction`. */
export type NotificationUrgency = 'low' | 'normal' | 'critical';

/** Closed by the `user`, the `browser`, or `replaced` by a newer one with its tag. */
export type NotificationClosedBy = 'user' | 'browser' | 'replaced';

/** What the desktop was asked to show. */
export interface DesktopNotification {
  id: number;
  appName: string;
  title: string;
  /** Without the origin line Chromium puts first. */
  body: string;
  /** As the desktop shows it: `localhost:3000`. */
  origin: string | undefined;
  icon: string;
  actions: Array<{ key: string; label: string }>;
  buttons: string[];
  urgency: NotificationUrgency | undefined;
  hints: Record<string, unknown>;
  /** Expiry in ms: -1 desktop default, 0 never. */
  timeout: number;
  clicks: string[];
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
