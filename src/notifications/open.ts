import type { Page } from '@playwright/test';
import { BackgroundServicesError } from '../cdp/errors.js';

export interface OpenNotification {
  title: string;
  body: string;
  tag: string;
  data: unknown;
  requireInteraction: boolean;
  silent: boolean | null;
  icon: string;
  badge: string;
  actions: Array<{ action: string; title: string }>;
  timestamp: number;
  scope: string;
}

/**
 * Resolves with the notifications the page's origin still has open.
 * @example
 * await getOpenNotifications(page, { tag: 'order-42' });
 */
export async function getOpenNotifications(page: Page, options: { tag?: string } = {}): Promise<OpenNotification[]> {
  if (options.tag !== undefined && typeof options.tag !== 'string') {
    throw new BackgroundServicesError(`getOpenNotifications(): tag must be a string, got ${typeof options.tag}.`);
  }
  return page.evaluate(async (tag) => {
    if (!('serviceWorker' in navigator)) return [];
    const registrations = await navigator.serviceWorker.getRegistrations();
    const found: OpenNotification[] = [];
    for (const registration of registrations) {
      for (const n of await registration.getNotifications(tag === undefined ? undefined : { tag })) {
        const extra = n as Notification & { actions?: Array<{ action: string; title: string }>; timestamp?: number };
        found.push({
          title: n.title,
          body: n.body,
          tag: n.tag,
          data: n.data as unknown,
          requireInteraction: n.requireInteraction,
          silent: n.silent,
          icon: n.icon,
          badge: n.badge,
          actions: (extra.actions ?? []).map(({ action, title }) => ({ action, title })),
          timestamp: extra.timestamp ?? 0,
          scope: registration.scope,
        });
      }
    }
    return found;
  }, options.tag);
}
