// One connect attempt's wait for a broker's "ready" (TWS's nextValidId, OpenD's
// InitWebSocket answer): it settles exactly once, ready or failed, and a server that
// stays silent past the budget fails it as a timeout. Failing also abandons the
// attempt (the adapter's hang-up), so a failed connect() leaves no socket behind.
// IB and Futu share it: the settle-once bookkeeping is where a double resolve or a
// timer left running would hide. ConnectAttempts adds the hang-ups: disconnect()
// fails the handshake in progress and makes a connect() still loading its library
// give up, so no connection is left that nobody owns.
import type { Owner, Registration } from '../../../shared/lifecycle/owner';
import { ownedTimeout, type Scheduler } from '../../../shared/lifecycle/timers';
import { BrokerError } from './adapter';

/** TWS and OpenD answer a handshake within milliseconds; a silent one is a stalled server. */
export const HANDSHAKE_MS = 5000;

export class Handshake {
  /** Resolves when ready() comes first; rejects with the error of a fail(), a throwing dial or the timeout. */
  readonly done: Promise<void>;
  private open = true;
  private resolve!: () => void;
  private reject!: (err: Error) => void;
  private readonly timeout: Registration;

  constructor(
    scheduler: Scheduler,
    owner: Owner,
    budgetMs: number,
    /** The error for a server that does not answer within budgetMs. */
    timedOut: () => BrokerError,
    /** Closes the attempt's connection; runs once, on failure only. */
    private readonly abandon: () => void,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.timeout = ownedTimeout(scheduler, owner, () => this.fail(timedOut()), budgetMs, 'handshake');
  }

  /** Starts the attempt (`dial` opens the connection) and returns done; a dial that throws fails it with its error. */
  dial(open: () => void): Promise<void> {
    try {
      open();
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
    }
    return this.done;
  }

  /** Not settled yet: events now still decide the attempt. */
  get pending(): boolean {
    return this.open;
  }

  /** The broker is ready. True if this settled the handshake (false: it had failed or was ready already). */
  ready(): boolean {
    if (!this.settle()) return false;
    this.resolve();
    return true;
  }

  /** Ends the attempt with `err` (hang-up, refusal, lost socket); a no-op once settled. */
  fail(err: Error): void {
    if (!this.settle()) return;
    this.abandon();
    this.reject(err);
  }

  private settle(): boolean {
    if (!this.open) return false;
    this.open = false;
    this.timeout.dispose();
    return true;
  }
}

/** One adapter's connect attempts and the hang-ups (disconnect()) that end them. */
export class ConnectAttempts {
  private hangUps = 0;
  private current: Handshake | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly owner: Owner,
    /** The server's name in errors: "TWS", "OpenD". */
    private readonly server: string,
    private readonly budgetMs = HANDSHAKE_MS,
  ) {}

  /** Taken when connect() starts; check() compares it after each await. */
  begin(): number {
    return this.hangUps;
  }

  /** Throws when a hang-up came since begin(): dialling now would leave a connection nobody owns. */
  check(token: number): void {
    if (token !== this.hangUps) throw new BrokerError('hung up before connecting', 'network');
  }

  /** The handshake of a connection to `where` (host:port); `abandon` closes it if the handshake fails. */
  handshake(where: string, abandon: () => void): Handshake {
    const timedOut = () => new BrokerError(`no answer from ${this.server} at ${where} within ${this.budgetMs} ms`, 'timeout');
    return (this.current = new Handshake(this.scheduler, this.owner, this.budgetMs, timedOut, abandon));
  }

  /** disconnect(): the handshake in progress fails, and a connect() that has not dialled yet gives up. */
  hangUp(): void {
    this.hangUps++;
    this.current?.fail(new BrokerError(`hung up before ${this.server} answered`, 'network'));
  }
}
