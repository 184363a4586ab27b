// Resubscription after a reconnect, exactly once per connection. futu-api
// re-initialises a new socket but forgets every subscription; OpenD forgets them
// too. Each successful login is a new generation; the plan hands out the keys to
// subscribe for a generation once, so a repeated login callback, or a reconnect
// racing a restore, never subscribes the same key twice on one connection.

export class RestorePlan {
  private generation = 0;
  private restoredFor = 0;

  /** A login succeeded: a new connection generation. Returns it. */
  loggedIn(): number {
    return ++this.generation;
  }

  get current(): number {
    return this.generation;
  }

  /**
   * The keys to subscribe on generation `gen`: `wanted` the first time it is asked
   * for the current generation, [] after that or for an older generation.
   */
  take(gen: number, wanted: Iterable<string>): string[] {
    if (gen !== this.generation || this.restoredFor === gen) return [];
    this.restoredFor = gen;
    return [...wanted];
  }
}
