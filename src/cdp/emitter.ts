/**
 * The one listener list of the library: `on` adds a listener (once: adding the same function
 * again does nothing) and returns its unsubscribe; `emit` calls the listeners in the order they
 * were added, over a copy, so a listener may unsubscribe itself or others while being notified.
 */
export class Emitter<T = void> {
  private readonly listeners = new Set<(value: T) => void>();

  on(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  /** How many listeners are subscribed. */
  get size(): number {
    return this.listeners.size;
  }
}
