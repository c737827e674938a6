import { toHaveRecordedEvent } from './toHaveRecordedEvent.js';
import { toHaveRecordedEvents } from './toHaveRecordedEvents.js';

/** Every matcher of this library, for `expect.extend(backgroundServiceMatchers)`. */
export const backgroundServiceMatchers = {
  toHaveRecordedEvent,
  toHaveRecordedEvents,
};

export { toHaveRecordedEvent, toHaveRecordedEvents };
export type { RecordedEventMatcherOptions } from './toHaveRecordedEvent.js';
export type { RecordedEventsMatcherOptions } from './toHaveRecordedEvents.js';
export type { MatcherResult, MatcherState } from './engine.js';
