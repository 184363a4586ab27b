// Quit requests that arrive while a host is still loading, before its QuitPolicy
// exists: held in order and handed to the policy the moment it does, so a quit at
// any moment of start-up takes the one shutdown path (and its report) instead of
// the platform's default (Node: exit 143, nothing logged; Electron: quit unseen).
// Electron main holds before-quit events with it, the headless host its signals.
export class HeldQuits<T> {
  private held: T[] = [];
  private target: ((quit: T) => void) | undefined;

  /** True once a quit has been received (held or handed over). */
  received = false;

  /** A quit arrived: to the policy if it exists, held otherwise. */
  deliver(quit: T): void {
    this.received = true;
    if (this.target) this.target(quit);
    else this.held.push(quit);
  }

  /** From now on quits go to `to`; those held are handed over now, in order. */
  route(to: (quit: T) => void): void {
    this.target = to;
    const held = this.held;
    this.held = [];
    for (const quit of held) to(quit);
  }
}
