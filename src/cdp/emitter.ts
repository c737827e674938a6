/**
 * The one listener list of the library: `on` adds a listener (once: adding the same function
 * again does nothing) and returns its unsubscribe; `emit` calls the listeners in the order they
 * were added, over a copy, so a listener may unsubscribe itself or others while being notified.
 *
 * `Emitter.signal()` makes a signal, for what happens once and must reach late listeners (a
 * page, a session, a recording closed: the `onAbort` hooks): its first `emit` fires it and
 * later ones do nothing; a listener added after it fired is called with its value in a
 * microtask (`on` returns first), unless unsubscribed before.
 */
export class Emitter<T = void> {
  private readonly listeners = new Set<(value: T) => void>();
  private firedWith: { readonly value: T } | undefined;

  /** @param replay A signal: use `Emitter.signal()`. */
  constructor(private readonly replay = false) {}

  /** An emitter that fires once and replays that to listeners added afterwards. */
  static signal<T = void>(): Emitter<T> {
    return new Emitter<T>(true);
  }

  on(listener: (value: T) => void): () => void {
    const fired = this.firedWith;
    if (fired) {
      let subscribed = true;
      queueMicrotask(() => subscribed && listener(fired.value));
      return () => {
        subscribed = false;
      };
    }
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(value: T): void {
    if (this.replay) {
      if (this.firedWith) return;
      this.firedWith = { value };
    }
    const listeners = [...this.listeners];
    if (this.replay) this.listeners.clear();
    for (const listener of listeners) listener(value);
  }

  /** A signal's value once it fired; undefined before, and always for a plain emitter. */
  get fired(): { readonly value: T } | undefined {
    return this.firedWith;
  }

  /** How many listeners are subscribed. */
  get size(): number {
    return this.listeners.size;
  }
}
