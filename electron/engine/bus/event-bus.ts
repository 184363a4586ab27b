// The engine's in-process event bus. Every handler belongs to an Owner: whoever
// subscribes passes the owner of its lifetime, and disposing that owner removes
// all of its handlers, so a torn-down window or component cannot leave a handler
// behind. handlerCounts() lets diagnostics and leak tests see that counts return
// to their baseline.
import type { Owner, Registration } from '../../../shared/lifecycle/owner';

// `unknown` rather than `void | Promise<void>` so concise arrows returning a value type-check;
// a returned promise is watched for rejection.
export type EventHandler<T> = (payload: T) => unknown;

export interface HandlerFailure {
  type: string;
  error: unknown;
}

export interface EventBusOptions {
  /** Told about every handler that throws or rejects; the other handlers still run. */
  onHandlerError?: (failure: HandlerFailure) => void;
}

export class EventBus<Events extends Record<string, unknown>> {
  // One slot object per registration, so the same function registered twice is two handlers.
  private readonly handlers = new Map<keyof Events & string, Set<{ handler: EventHandler<never> }>>();
  private readonly onHandlerError: (failure: HandlerFailure) => void;

  constructor(options: EventBusOptions = {}) {
    this.onHandlerError = options.onHandlerError ?? (() => undefined);
  }

  /** Registers `handler` for `type` for as long as `owner` lives (or until the registration is disposed). */
  on<K extends keyof Events & string>(type: K, handler: EventHandler<Events[K]>, owner: Owner): Registration {
    // Registering first: a disposed owner throws here and nothing is added.
    const slot = { handler: handler as EventHandler<never> };
    const registration = owner.add(`bus:${type}`, () => this.remove(type, slot));
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(slot);
    return registration;
  }

  /**
   * Calls every handler of `type` in registration order. A handler added during
   * the emit gets the next one; a handler removed during it is not called. A throwing (or rejecting)
   * handler is reported and does not stop the others.
   */
  emit<K extends keyof Events & string>(type: K, payload: Events[K]): void {
    const set = this.handlers.get(type);
    if (!set) return;
    for (const slot of [...set]) {
      if (!set.has(slot)) continue;
      const handler = slot.handler as EventHandler<Events[K]>;
      try {
        const result = handler(payload);
        if (result instanceof Promise) result.catch((error: unknown) => this.report(type, error));
      } catch (error) {
        this.report(type, error);
      }
    }
  }

  /** Live handlers per event type; types without handlers are absent. */
  handlerCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [type, set] of this.handlers) counts[type] = set.size;
    return counts;
  }

  private remove(type: keyof Events & string, slot: { handler: EventHandler<never> }): void {
    const set = this.handlers.get(type);
    if (!set) return;
    set.delete(slot);
    if (set.size === 0) this.handlers.delete(type);
  }

  private report(type: string, error: unknown): void {
    try {
      this.onHandlerError({ type, error });
    } catch {
      // The reporter itself failing must not take down the emitter.
    }
  }
}
