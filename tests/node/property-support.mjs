// Shared by the *.property.test.mjs files: one fixed seed, bounded runs, and a line per
// property saying which seed and how many runs, so a failure can be replayed with FC_SEED.
import fc from 'fast-check';
import { SERVICES } from 'playwright-background-services';

export const SEED = Number(process.env.FC_SEED ?? 20261201);
/** Scales every property's run count (FC_RUNS_SCALE=10 for a long local hunt). */
const SCALE = Number(process.env.FC_RUNS_SCALE ?? 1);

/** fc.assert with the fixed seed, printing `seed=… runs=…` and the time it took. */
export async function check(name, numRuns, property) {
  const runs = Math.max(1, Math.round(numRuns * SCALE));
  const started = performance.now();
  await fc.assert(property, { seed: SEED, numRuns: runs, endOnFailure: true, includeErrorInReport: true });
  console.log(`property ${name}: seed=${SEED} runs=${runs} (${Math.round(performance.now() - started)} ms)`);
  return runs;
}

/** Rejects when `promise` has not settled within `ms`: a matcher must never hang. */
export function withinTime(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
    }),
  ]);
}

// Few distinct values, so that random filters often match random events.
const letters = fc.constantFrom('a', 'b', 'A', '/', '.', ' ');
export const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: letters, maxLength: 3 }) },
  fc.constantFrom('Push event completed', 'Push event dispatched', '__proto__', 'toString', 'constructor'),
  fc.string({ unit: 'grapheme-composite', maxLength: 4 }),
);
export const metadataKey = fc.oneof(
  fc.constantFrom('Status', 'Payload', 'a', '__proto__', 'toString', 'hasOwnProperty'),
  fc.string({ unit: letters, maxLength: 2 }),
);
export const origin = fc.constantFrom('', 'http://a.test', 'http://a.test/', 'http://a.test//', 'http://b.test/', 'https://a.test/');
export const regExp = fc
  .tuple(
    fc.constantFrom('', '^'),
    fc.string({ unit: fc.constantFrom('a', 'b', '.', '/', 'A'), maxLength: 3 }),
    fc.constantFrom('', '$'),
    fc.constantFrom('', 'g', 'i', 'y', 'gy', 'm'),
  )
  .map(([start, body, end, flags]) => new RegExp(start + body + end, flags));
export const textMatch = fc.oneof({ weight: 2, arbitrary: text }, regExp);
export const originMatch = fc.oneof({ weight: 2, arbitrary: origin }, regExp);

/** A protocol event as DevTools' "Save events" writes it. */
export const protocolEvent = fc.record({
  timestamp: fc.double({ min: 1_700_000_000, max: 1_800_000_000, noNaN: true }),
  origin,
  serviceWorkerRegistrationId: fc.constantFrom('', '1', '2'),
  service: fc.constantFrom(...SERVICES),
  eventName: text,
  instanceId: text,
  eventMetadata: fc.array(fc.record({ key: metadataKey, value: text }), { maxLength: 3 }),
  storageKey: origin,
});

/** A recorded event (what `recording.events` holds), built independently of the library. */
export const recordedEvent = fc.tuple(protocolEvent, fc.boolean()).map(([event, preexisting]) => ({
  ...event,
  metadata: Object.fromEntries(event.eventMetadata.map(({ key, value }) => [key, value])),
  preexisting,
}));

export const eventFilter = fc.record(
  {
    service: fc.constantFrom(...SERVICES),
    // A name outside the library's catalogue must be written { unlisted } (a plain unknown string,
    // or another service's event, is refused at once as a misspelling); RegExps go as they are.
    eventName: textMatch.map((value) => (typeof value === 'string' ? { unlisted: value } : value)),
    instanceId: textMatch,
    origin: originMatch,
    storageKey: originMatch,
    serviceWorkerRegistrationId: fc.oneof(fc.constantFrom('', '1', '2'), regExp),
    metadata: fc.dictionary(metadataKey, textMatch, { maxKeys: 2 }),
    preexisting: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** Any value: JSON, and the values JSON cannot hold. */
export const anything = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.anything({
    maxDepth: 2,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withTypedArray: true,
    withSparseArray: true,
  }),
  fc.constantFrom(undefined, null, NaN, Infinity, -0, () => {}, Symbol('s'), /re/, new Error('e')),
);

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A value for filter field `key` taken from `event`, so that filters often match some event. */
function derived(key, event) {
  const value = event[key];
  if (key === 'service') return fc.constant(value);
  if (key === 'preexisting') return fc.constant(event.preexisting ?? false);
  if (key === 'metadata') {
    if (!event.eventMetadata.length) return fc.constant({});
    return fc
      .constantFrom(...event.eventMetadata)
      .chain(({ key: name, value: text }) =>
        fc.oneof(fc.constant(text), fc.constant(new RegExp(escapeRegExp(text.slice(0, 1)))), textMatch).map((match) => Object.fromEntries([[name, match]])),
      );
  }
  // An event name taken from a random event is outside the catalogue: it goes as { unlisted }.
  const exact = key === 'eventName' ? { unlisted: value } : value;
  const variants = [fc.constant(exact), fc.constant(new RegExp(`^${escapeRegExp(value)}$`)), fc.constant(new RegExp(escapeRegExp(value.slice(-1)), 'g'))];
  if (key === 'origin' || key === 'storageKey') variants.push(fc.constant(value.replace(/\/$/, '')), fc.constant(`${value}/`));
  return fc.oneof(...variants);
}

const FILTER_FIELDS = ['service', 'eventName', 'instanceId', 'origin', 'storageKey', 'serviceWorkerRegistrationId', 'metadata', 'preexisting'];

/** Filters of up to three fields, each random or taken from one of `events`. */
export function filterAgainst(events) {
  return fc
    .tuple(eventFilter, fc.subarray(FILTER_FIELDS, { maxLength: 3 }), events.length ? fc.constantFrom(...events) : fc.constant(undefined))
    .chain(([random, keys, event]) =>
      fc
        .tuple(...keys.map((key) => (event && key in event ? fc.oneof(derived(key, event), fc.constant(random[key])) : fc.constant(random[key]))))
        .map((values) => {
          const filter = {};
          keys.forEach((key, i) => {
            if (values[i] !== undefined) filter[key] = values[i];
          });
          return filter;
        }),
    );
}
