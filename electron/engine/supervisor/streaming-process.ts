// The one abstraction over "a child process running electron/streaming/entry.ts".
// The Electron shell implements it with utilityProcess.fork, the headless host with
// child_process.fork; the supervisor and everything above it never know which.
import type { ToStreaming } from '../../../shared/contract/streaming-protocol';

export interface StreamingProcessExit {
  code: number | null;
  signal: string | null;
  /** Why it ended, when the host knows more than code and signal (Electron: crashed, oom, killed...). */
  reason?: string;
}

export interface StreamingProcess {
  /** OS pid; undefined before spawn and after exit. */
  readonly pid: number | undefined;
  post(message: ToStreaming): void;
  /** Raw, unvalidated messages: the receiver validates. Returns the disposer that removes the listener. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Called once when the process has exited (for any reason). Returns the disposer that removes the listener. */
  onExit(listener: (exit: StreamingProcessExit) => void): () => void;
  /** Polite OS termination (SIGTERM on POSIX). */
  terminate(): void;
  /** Outright kill (SIGKILL on POSIX). */
  kill(): void;
  /** CPU time the process has used so far, in ms, if the host can tell (the hang decision uses it). */
  cpuTimeMs?(): number | undefined;
}

export type SpawnStreamingProcess = () => StreamingProcess;

/** True while a process with this pid exists (signal 0 probes without killing). */
export function pidAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
