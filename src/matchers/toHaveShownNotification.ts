import { isDesktopNotifications } from '../notifications/desktop.js';
import { assertNotificationFilter, formatNotificationFilter, matchesNotification, type DesktopNotificationFilter } from '../notifications/filter.js';
import { runMatcher, wrongReceiver, type MatcherResult, type MatcherState, type MatcherOptions, matcherOptions } from './engine.js';

export async function toHaveShownNotification(
  this: MatcherState,
  received: unknown,
  filter: DesktopNotificationFilter,
  options: MatcherOptions = {},
): Promise<MatcherResult> {
  const opts = matcherOptions(options, 'expect(desktop).toHaveShownNotification()');
  const name = 'toHaveShownNotification';
  if (!isDesktopNotifications(received)) {
    throw wrongReceiver(name, 'the desktop fixture (or startDesktopNotifications())', received);
  }
  assertNotificationFilter(filter, `expect(desktop).${name}()`);
  const desktop = received;
  return runMatcher(this, {
    name,
    receiverLabel: 'expect(desktop)',
    expected: formatNotificationFilter(filter),
    timeout: opts.timeout,
    evaluate: () => {
      const match = desktop.notifications.find((n) => matchesNotification(n, filter));
      const count = desktop.notifications.length;
      return {
        pass: match !== undefined,
        received: match ? `#${match.id} ${JSON.stringify(match.title)}` : `${count} notification${count === 1 ? '' : 's'} shown, none matching`,
      };
    },
    subscribe: (onChange) => desktop.subscribe(onChange),
    details: () => desktop.describe(),
    actual: () => desktop.notifications.length,
  });
}
