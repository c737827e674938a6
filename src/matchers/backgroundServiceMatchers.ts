import type { Expect, expect as playwrightExpect } from '@playwright/test';
import type { EventFilter } from '../background-services/filter.js';
import type { ServiceName } from '../background-services/services.js';
import * as matchers from './index.js';
import type { toHaveRecordedEvent } from './toHaveRecordedEvent.js';
import type { toHaveRecordedEvents } from './toHaveRecordedEvents.js';
import type { toHaveReportStatus } from './toHaveReportStatus.js';
import type { toHaveReport } from './toHaveReport.js';
import type { toHaveReceivedReport } from './toHaveReceivedReport.js';
import type { toHaveReceivedPush } from './toHaveReceivedPush.js';
import type { toHaveReceivedMessage } from './toHaveReceivedMessage.js';
import type { toMatchRecording } from './toMatchRecording.js';
import type { toBeRestoredFromBackForwardCache } from './toBeRestoredFromBackForwardCache.js';
import type { toHaveNotRestoredReason } from './toHaveNotRestoredReason.js';
import type { toHaveDeletedSites } from './toHaveDeletedSites.js';
import type { toHaveFlaggedBounceTracker } from './toHaveFlaggedBounceTracker.js';
import type { toHaveShownNotification } from './toHaveShownNotification.js';
import type { toHaveServiceWorker } from './toHaveServiceWorker.js';

/** Every matcher, for `expect.extend()`. */
export const backgroundServiceMatchers: BackgroundServiceMatchers = { ...matchers };

// The matchers' hover docs live here, not on the functions: a bundled .d.ts reaches the functions
// through a namespace of undocumented aliases, so a doc on a function never shows on
// `expect(x).toHaveRecordedEvent`. These members are what both `expect`s map over.
// A type, not an interface: expect.extend() takes a Record, and only a type literal is one implicitly.
/** The matcher functions by name. */
// eslint-disable-next-line @typescript-eslint/consistent-type-definitions
export type BackgroundServiceMatchers = {
  /**
   * Passes once the recording holds an event matching `filter`.
   * @example
   * await expect(recording).toHaveRecordedEvent({ eventName: 'Push event completed' });
   */
  toHaveRecordedEvent: typeof toHaveRecordedEvent;
  /**
   * Passes once each filter has a distinct recorded event.
   * @example
   * await expect(recording).toHaveRecordedEvents([{ eventName: 'Registered sync' }, { eventName: 'Sync completed' }], { ordered: true });
   */
  toHaveRecordedEvents: typeof toHaveRecordedEvents;
  /**
   * Passes once the report's status is `status`, waiting while the browser retries.
   * @example
   * await expect(report).toHaveReportStatus('Success');
   */
  toHaveReportStatus: typeof toHaveReportStatus;
  /**
   * Passes once the browser has a report matching `filter`, current `status` included.
   * @example
   * await expect(reportingApi).toHaveReport({ type: 'deprecation', status: 'Success' });
   */
  toHaveReport: typeof toHaveReport;
  /**
   * Passes once the collector received a report matching `filter`.
   * @example
   * await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation' });
   */
  toHaveReceivedReport: typeof toHaveReceivedReport;
  /**
   * Passes once the push service accepted a message matching `filter`.
   * @example
   * await expect(pushService).toHaveReceivedPush({ payload: 'hello' });
   */
  toHaveReceivedPush: typeof toHaveReceivedPush;
  /**
   * Passes once the FCM stand-in accepted a send matching `filter`.
   * @example
   * await expect(fcm).toHaveReceivedMessage({ notification: { title: 'Hi' } });
   */
  toHaveReceivedMessage: typeof toHaveReceivedMessage;
  /**
   * Passes once the saved events happen again, in order. See docs/evidence.md.
   * @example
   * await expect(recording).toMatchRecording('push-bug.json', { ignore: ['metadata.Payload'] });
   */
  toMatchRecording: typeof toMatchRecording;
  /**
   * Passes if the page was restored from the back/forward cache; on a page, runs the test first.
   * @example
   * await expect(page).toBeRestoredFromBackForwardCache();
   */
  toBeRestoredFromBackForwardCache: typeof toBeRestoredFromBackForwardCache;
  /**
   * Passes if `reason` is among those the page was not restored for; on a page, runs the test first.
   * @example
   * await expect(page).toHaveNotRestoredReason('UnloadHandlerExistsInMainFrame');
   */
  toHaveNotRestoredReason: typeof toHaveNotRestoredReason;
  /**
   * Passes when every site was deleted; on a page, forces runs until they are.
   * @example
   * await expect(page).toHaveDeletedSites(['tracker.localhost']);
   */
  toHaveDeletedSites: typeof toHaveDeletedSites;
  /**
   * Passes once Chromium flagged `site` as a bounce tracker (Issues panel).
   * @example
   * await expect(bounceTrackingIssues).toHaveFlaggedBounceTracker('tracker.localhost');
   */
  toHaveFlaggedBounceTracker: typeof toHaveFlaggedBounceTracker;
  /**
   * Passes once a notification matching `filter` was shown (open or not).
   * @example
   * await expect(desktop).toHaveShownNotification({ title: 'New message' });
   */
  toHaveShownNotification: typeof toHaveShownNotification;
  /**
   * Passes once a service worker version of the page's context matches `filter`.
   * @example
   * await expect(page).toHaveServiceWorker({ state: 'waiting' });
   */
  toHaveServiceWorker: typeof toHaveServiceWorker;
};

// One member per matcher of index.ts, no more and no fewer.
type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never] ? true : never;
const everyMatcherDocumented: SameKeys<BackgroundServiceMatchers, typeof matchers> = true;
void everyMatcherDocumented;

// What both expects show. Playwright's expect.extend() types each matcher by `infer`, which drops a
// type parameter: the generic ones are spelt out, so that `service` narrows `eventName` (per filter
// in toHaveRecordedEvents: S is inferred as a tuple).
type Signatures = {
  [K in keyof BackgroundServiceMatchers]: BackgroundServiceMatchers[K] extends (r: never, ...a: infer A) => unknown
    ? K extends 'toHaveRecordedEvent'
      ? <S extends ServiceName>(filter: EventFilter<S>, options?: A[1]) => Promise<void>
      : K extends 'toHaveRecordedEvents'
        ? <S extends readonly unknown[]>(
            filters: { [I in keyof S]: EventFilter<S[I] extends ServiceName ? S[I] : ServiceName> },
            options?: A[1],
          ) => Promise<void>
        : (...a: A) => Promise<void>
    : never;
};

// Playwright's `expect` with the matchers: its Expect<…> (the last call signature and every member,
// which mergeExpects() and extend() read), with a first call signature, `soft` and `configure()`
// that keep the generic signatures.
export type BackgroundServicesExpect = {
  <T>(actual: T, messageOrOptions?: Parameters<Expect>[1]): ReturnType<typeof playwrightExpect<T>> & Signatures & Record<'not' | 'resolves', Signatures>;
  soft: BackgroundServicesExpect;
  configure(...a: Parameters<Expect['configure']>): BackgroundServicesExpect;
} & Expect<BackgroundServiceMatchers>;
