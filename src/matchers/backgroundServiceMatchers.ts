import * as matchers from './index.js';

/** Every matcher, for `expect.extend()`. */
export const backgroundServiceMatchers: BackgroundServiceMatchers = { ...matchers };

/** The matcher functions by name. */
export type BackgroundServiceMatchers = typeof matchers;

// A matcher's arguments after the received value.
type ExpectedArguments<M> = M extends (this: never, received: never, ...args: infer A) => unknown ? A : never;

// Derived from the matcher functions, so it cannot drift from them.
/** The matchers as `expect(received)` shows them. */
export type BackgroundServiceMatcherSignatures<R> = {
  [K in keyof BackgroundServiceMatchers]: (...args: ExpectedArguments<BackgroundServiceMatchers[K]>) => Promise<R>;
};
