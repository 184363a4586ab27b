// Awaits promises one after another, each cut short when the signal aborts, with
// one abort listener for the waiter's life, not one per wait: EventTarget
// add/remove per resolved watch showed up in the streaming process's profile.

export const ABORTED = Symbol('aborted');

export class AbortableWait {
  private wake: ((v: typeof ABORTED) => void) | undefined;

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.wake?.(ABORTED), { once: true });
  }

  wait<T>(p: Promise<T>): Promise<T | typeof ABORTED> {
    if (this.signal.aborted) return Promise.resolve(ABORTED);
    return new Promise<T | typeof ABORTED>((resolve, reject) => {
      this.wake = resolve;
      p.then(resolve, reject);
    });
  }
}
