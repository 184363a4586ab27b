// Which watchlist rows are in sight: rows scrolled out of their panel (or in a dock tab
// not shown) are not painted, since a tick there costs text layout and paint for
// nothing (the screen stage's 50 rows live in a panel that shows ~16). One observer
// serves every row; it exists while at least one row is attached, and each row's
// detach (its React ref cleanup) stops watching it. Typed structurally: unit tests
// stand in for IntersectionObserver.

export interface SightEntry<E> {
  target: E;
  isIntersecting: boolean;
}

export interface SightObserver<E> {
  observe(el: E): void;
  unobserve(el: E): void;
  disconnect(): void;
}

/** Makes the observer (the browser: `(cb) => new IntersectionObserver(cb)`). */
export type SightFactory<E> = (onEntries: (entries: readonly SightEntry<E>[]) => void) => SightObserver<E>;

export class RowSight<E extends object> {
  private observer: SightObserver<E> | null = null;
  private readonly keys = new Map<E, string>();

  constructor(
    private readonly create: SightFactory<E>,
    /** A row came into sight or went out of it. */
    private readonly onSight: (key: string, inSight: boolean) => void,
  ) {}

  /** Watches `el` (the row of `key`); returns the function that stops watching it. */
  attach(el: E, key: string): () => void {
    this.keys.set(el, key);
    this.observer ??= this.create((entries) => {
      for (const e of entries) {
        const k = this.keys.get(e.target);
        if (k !== undefined) this.onSight(k, e.isIntersecting);
      }
    });
    this.observer.observe(el);
    return () => {
      if (this.keys.get(el) !== key) return;
      this.keys.delete(el);
      this.observer?.unobserve(el);
      if (this.keys.size > 0) return;
      this.observer?.disconnect();
      this.observer = null;
    };
  }

  get watching(): number {
    return this.keys.size;
  }
}
