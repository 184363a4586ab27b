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

/**
 * Node/V8 options of the streaming process, in both hosts. A young generation of up
 * to 64 MB per semi-space (Node 20's default is 16 MB): ccxt allocates a few KB per
 * message and keeps each trade in its cache for seconds, so in a storm the default
 * ran about 23 scavenges a second, promoted the cached trades and spent a quarter of
 * the process's time in GC (1.2 s of every 5 s; 0.45 s with 64 MB). V8 keeps a grown
 * young generation until asked for memory: IdleMemoryTrim asks once quiet. An Electron utility
 * process creates its V8 isolate before Node reads execArgv, so there the option
 * probably has no effect; the process logs its heap bound ("node options").
 */
export const STREAMING_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=64'];

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
