import * as matchers from './index.js';

/** Every matcher of this library, for `expect.extend(backgroundServiceMatchers)`. */
export const backgroundServiceMatchers: BackgroundServiceMatchers = { ...matchers };

/** The matcher functions by name: the runtime values of `./index.ts`. */
export type BackgroundServiceMatchers = typeof matchers;

/** A matcher's arguments after the received value. */
type ExpectedArguments<M> = M extends (this: never, received: never, ...args: infer A) => unknown ? A : never;

/**
 * The matchers as `expect(received)` shows them: without `this` and the received value,
 * resolving to `R`. Derived from the matcher functions, so it cannot drift from them.
 */
export type BackgroundServiceMatcherSignatures<R> = {
  [K in keyof BackgroundServiceMatchers]: (...args: ExpectedArguments<BackgroundServiceMatchers[K]>) => Promise<R>;
};
