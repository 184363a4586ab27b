// Why a utility process ended, as far as Electron tells. Its 'exit' event carries
// only a code (waitpid's on POSIX: a signal death reads as the signal's number, and a
// kill() by us as 0), never a signal; the reason comes from two other events: the
// process's own 'error' (V8 fatal error, emitted before 'exit') and app's
// 'child-process-gone' (crashed, oom, killed, launch-failed...; Details name the
// process by its serviceName, not by pid). The wrapper delivers the exit one turn
// later, so a 'child-process-gone' Electron emits right after 'exit' is included.
// Plain code (Electron's types only) so it is unit-tested without Electron.
import type { Details } from 'electron';
import type { StreamingProcessExit } from '../engine/supervisor/streaming-process';

export type GoneDetails = Pick<Details, 'type' | 'reason' | 'exitCode'> & { name?: string | undefined };

export class UtilityExitReason {
  private fatal: string | undefined;
  private gone: string | undefined;

  /** `serviceName`: the name given to utilityProcess.fork, which 'child-process-gone' reports as `name`. */
  constructor(private readonly serviceName: string) {}

  /** utilityProcess 'error': the process hit an error V8 cannot continue from. */
  onError(type: string, location: string): void {
    this.fatal ??= `${type} at ${location}`;
  }

  /** app 'child-process-gone': kept when it is about this service (any other child is ignored). */
  onChildGone(details: GoneDetails): void {
    if (details.type !== 'Utility' || details.name !== this.serviceName) return;
    this.gone = `${details.reason}, exit code ${details.exitCode}`;
  }

  /** The exit as the supervisor reads it: Electron gives no signal, the reason says what it knows. */
  exit(code: number): StreamingProcessExit {
    const reason = [this.gone, this.fatal].filter((r) => r !== undefined).join('; ');
    return { code, signal: null, ...(reason ? { reason } : {}) };
  }
}
