// Electron's quit events, decided as plain code; electron/main only binds them:
//   app.on('before-quit', (e) => { if (policy.onBeforeQuit() === 'prevent') e.preventDefault(); })
//   app.on('window-all-closed', () => policy.onWindowAllClosed())
//   win.on('query-session-end', (e) => { if (policy.onQuerySessionEnd() === 'prevent') e.preventDefault(); })  (a BrowserWindow event, Windows only)
//   new ShutdownCoordinator({ ..., exit: (code) => policy.exit(code) }), exitApp: (code) => app.exit(code)
// Facts it encodes (Electron's API docs for app and BrowserWindow, and
// electron/main/main.ts binding them): preventDefault only works synchronously; a
// prevented before-quit resets Electron's quitting flag, so every later app.quit()
// fires before-quit again; app.exit() must come from a later tick.
// Once the drain is over, before-quit is allowed so nothing can loop.
import type { ShutdownRequestOptions, ShutdownResult } from './coordinator';

/** The coordinator as the policy sees it. */
export interface ShutdownRequester {
  request(trigger: string, options?: ShutdownRequestOptions): Promise<ShutdownResult>;
  readonly state: 'idle' | 'running' | 'done';
}

export interface QuitPolicyOptions {
  shutdown: ShutdownRequester;
  /** Ends the app without firing quit events again (Electron: app.exit). */
  exitApp: (code: number) => void;
  /** Runs `fn` on a later tick (Electron: setImmediate or setTimeout 0). */
  defer: (fn: () => void) => void;
  now?: () => number;
  /**
   * A repeat within this many ms of the first request is the same intent, not an
   * escalation: one Ctrl+C reaches Electron main both as SIGINT and as the
   * before-quit Electron derives from it. Default 250.
   */
  coalesceMs?: number;
}

export type QuitDecision = 'prevent' | 'allow';

export class QuitPolicy {
  private readonly shutdown: ShutdownRequester;
  private readonly exitApp: (code: number) => void;
  private readonly defer: (fn: () => void) => void;
  private readonly now: () => number;
  private readonly coalesceMs: number;
  private firstSeenAt: number | undefined;
  private exitCode: number | undefined;

  constructor(options: QuitPolicyOptions) {
    this.shutdown = options.shutdown;
    this.exitApp = options.exitApp;
    this.defer = options.defer;
    this.now = options.now ?? Date.now;
    this.coalesceMs = options.coalesceMs ?? 250;
  }

  /** True once the coordinator has finished and the exit is on its way. */
  get finished(): boolean {
    return this.exitCode !== undefined || this.shutdown.state === 'done';
  }

  /** before-quit: prevent and drain (first), prevent and force (repeat), allow (after the drain). */
  onBeforeQuit(): QuitDecision {
    if (this.finished) return 'allow';
    this.requestOrEscalate('before-quit');
    return 'prevent';
  }

  /** Windows query-session-end: delay the session end while the same drain runs; never escalates. */
  onQuerySessionEnd(): QuitDecision {
    if (this.finished) return 'allow';
    this.join('session-end');
    return 'prevent';
  }

  /** Closing the last window quits; during shutdown windows closing is expected, not a second request. */
  onWindowAllClosed(): void {
    if (this.finished) return;
    this.join('window-all-closed');
  }

  /** SIGINT/SIGTERM/SIGHUP: first drains, a second one forces. */
  onSignal(name: string): void {
    if (this.finished) return;
    this.requestOrEscalate(`signal:${name}`);
  }

  /** Any other quit path (menu, shortcut, renderer "quit" with its force flag). */
  request(trigger: string, options: ShutdownRequestOptions = {}): void {
    if (this.finished) return;
    if (options.force) {
      this.noteStart();
      void this.shutdown.request(trigger, { force: true });
    } else this.requestOrEscalate(trigger);
  }

  /** Give this to the coordinator as its exit: ends the app from a later tick, once. */
  exit(code: number): void {
    if (this.exitCode !== undefined) return;
    this.exitCode = code;
    // Electron may still be inside the event that finished the drain; app.exit()
    // from there can re-enter quit handling, so leave the current tick first.
    this.defer(() => this.exitApp(code));
  }

  private requestOrEscalate(trigger: string): void {
    if (this.shutdown.state === 'idle') {
      this.noteStart();
      void this.shutdown.request(trigger);
      return;
    }
    this.noteStart();
    if (this.now() - this.firstSeenAt! < this.coalesceMs) return;
    void this.shutdown.request(trigger, { force: true });
  }

  /** Starts the drain if none is running; never escalates a running one. */
  private join(trigger: string): void {
    if (this.shutdown.state !== 'idle') return;
    this.noteStart();
    void this.shutdown.request(trigger);
  }

  private noteStart(): void {
    this.firstSeenAt ??= this.now();
  }
}
