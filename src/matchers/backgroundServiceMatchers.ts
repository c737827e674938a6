import type { Expect, expect as playwrightExpect } from '@playwright/test';
import type { EventFilter } from '../background-services/filter.js';
import type { ServiceName } from '../background-services/services.js';
import * as matchers from './index.js';
import type { NotRestoredReasonName } from '../bfcache/bfcache.js';
import type { FcmMessageFilter } from '../fcm/filter.js';
import type { DesktopNotificationFilter } from '../notifications/filter.js';
import type { PushMessageFilter } from '../push/filter.js';
import type { ReportFilter, ReportStatus } from '../reporting/filter.js';
import type { MatcherOptions, MatcherResult, MatcherState } from './engine.js';
import type { ServiceWorkerFilter } from './toHaveServiceWorker.js';
import type { RecordedEventsOptions } from './toHaveRecordedEvents.js';
import type { RecordedEvent } from '../background-services/events.js';
import type { MatchRecordingOptions } from './toMatchRecording.js';

/** A matcher for `expect.extend()`: received, `A`, then options `O`. */
export type Matcher<A extends unknown[], O = MatcherOptions> = (this: MatcherState, received: unknown, ...args: [...A, options?: O]) => Promise<MatcherResult>;

/** Every matcher, for `expect.extend()`. */
export const backgroundServiceMatchers: BackgroundServiceMatchers = { ...matchers };

// The matchers' hover docs live here, not on the functions: a bundled .d.ts reaches the functions
// through a namespace of undocumented aliases, so a doc on a function never shows on
// `expect(x).toHaveRecordedEvent`. These members are what both `expect`s map over. Signatures, not
// `typeof` the functions: the functions stay out of the .d.ts, and `backgroundServiceMatchers`
// below checks each against its signature.
// A type, not an interface: expect.extend() takes a Record, and only a type literal is one implicitly.
/** The matcher functions by name. */
// eslint-disable-next-line @typescript-eslint/consistent-type-definitions
export type BackgroundServiceMatchers = {
  /**
   * Passes once the recording holds an event matching `filter`.
   * @example
   * await expect(recording).toHaveRecordedEvent({ eventName: 'Push event completed' });
   */
  toHaveRecordedEvent: <S extends ServiceName>(
    this: MatcherState,
    received: unknown,
    filter: EventFilter<S>,
    options?: MatcherOptions,
  ) => Promise<MatcherResult>;
  /**
   * Passes once each filter has a distinct recorded event.
   * @example
   * await expect(recording).toHaveRecordedEvents([{ eventName: 'Registered sync' }, { eventName: 'Sync completed' }], { ordered: true });
   */
  toHaveRecordedEvents: Matcher<[filters: readonly EventFilter[]], RecordedEventsOptions>;
  /**
   * Passes once the report's status is `status`, waiting while the browser retries.
   * @example
   * await expect(report).toHaveReportStatus('Success');
   */
  toHaveReportStatus: Matcher<[status: ReportStatus]>;
  /**
   * Passes once the browser has a report matching `filter`, current `status` included.
   * @example
   * await expect(reportingApi).toHaveReport({ type: 'deprecation', status: 'Success' });
   */
  toHaveReport: Matcher<[filter: ReportFilter]>;
  /**
   * Passes once the collector received a report matching `filter`.
   * @example
   * await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation' });
   */
  toHaveReceivedReport: Matcher<[filter: Omit<ReportFilter, 'status'>]>;
  /**
   * Passes once the push service accepted a message matching `filter`.
   * @example
   * await expect(pushService).toHaveReceivedPush({ payload: 'hello' });
   */
  toHaveReceivedPush: Matcher<[filter?: PushMessageFilter]>;
  /**
   * Passes once the FCM stand-in accepted a send matching `filter`.
   * @example
   * await expect(fcm).toHaveReceivedMessage({ notification: { title: 'Hi' } });
   */
  toHaveReceivedMessage: Matcher<[filter?: FcmMessageFilter]>;
  /**
   * Passes once the saved events happen again, in order. See docs/evidence.md.
   * @example
   * await expect(recording).toMatchRecording('push-bug.json', { ignore: ['metadata.Payload'] });
   */
  toMatchRecording: Matcher<[saved: string | readonly unknown[] | { events: readonly RecordedEvent[] }], MatchRecordingOptions>;
  /**
   * Passes if the page was restored from the back/forward cache; on a page, runs the test first.
   * @example
   * await expect(page).toBeRestoredFromBackForwardCache();
   */
  toBeRestoredFromBackForwardCache: Matcher<[]>;
  /**
   * Passes if `reason` is among those the page was not restored for; on a page, runs the test first.
   * @example
   * await expect(page).toHaveNotRestoredReason('UnloadHandlerExistsInMainFrame');
   */
  toHaveNotRestoredReason: Matcher<[reason: NotRestoredReasonName]>;
  /**
   * Passes when every site was deleted; on a page, forces runs until they are.
   * @example
   * await expect(page).toHaveDeletedSites(['tracker.localhost']);
   */
  toHaveDeletedSites: Matcher<[sites: readonly string[]]>;
  /**
   * Passes once Chromium flagged `site` as a bounce tracker (Issues panel).
   * @example
   * await expect(bounceTrackingIssues).toHaveFlaggedBounceTracker('tracker.localhost');
   */
  toHaveFlaggedBounceTracker: Matcher<[site: string]>;
  /**
   * Passes once a notification matching `filter` was shown (open or not).
   * @example
   * await expect(desktop).toHaveShownNotification({ title: 'New message' });
   */
  toHaveShownNotification: Matcher<[filter: DesktopNotificationFilter]>;
  /**
   * Passes once a service worker version of the page's context matches `filter`.
   * @example
   * await expect(page).toHaveServiceWorker({ state: 'waiting' });
   */
  toHaveServiceWorker: Matcher<[filter: ServiceWorkerFilter]>;
};

// One member per matcher of index.ts, no more and no fewer.
type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never] ? true : never;
const everyMatcherDocumented: SameKeys<BackgroundServiceMatchers, typeof matchers> = true;
void everyMatcherDocumented;

// What both expects show. Playwright's expect.extend() types each matcher by `infer`, which drops a
// type parameter: the generic ones are spelt out, so that `service` narrows `eventName` (per filter
// in toHaveRecordedEvents: S is inferred as a tuple).
export type MatcherSignatures = {
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
  <T>(
    actual: T,
    messageOrOptions?: Parameters<Expect>[1],
  ): ReturnType<typeof playwrightExpect<T>> & MatcherSignatures & Record<'not' | 'resolves', MatcherSignatures>;
  soft: BackgroundServicesExpect;
  configure(...a: Parameters<Expect['configure']>): BackgroundServicesExpect;
} & Expect<BackgroundServiceMatchers>;
