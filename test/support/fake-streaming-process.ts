// The listener plumbing every fake streaming process in the engine tests shares; each
// test's subclass says only what it does when posted to, terminated or killed.
import type { StreamingProcess, StreamingProcessExit } from '../../electron/engine/supervisor/streaming-process';
import type { ToStreaming } from '../../shared/contract/streaming-protocol';

export abstract class FakeStreamingProcess implements StreamingProcess {
  abstract readonly pid: number | undefined;
  /** Public so a test can count what the supervisor left registered. */
  readonly messageListeners = new Set<(m: unknown) => void>();
  readonly exitListeners = new Set<(e: StreamingProcessExit) => void>();

  abstract post(message: ToStreaming): void;
  abstract terminate(): void;
  abstract kill(): void;

  onMessage(listener: (m: unknown) => void): () => void {
    this.messageListeners.add(listener);
    return () => void this.messageListeners.delete(listener);
  }

  onExit(listener: (e: StreamingProcessExit) => void): () => void {
    this.exitListeners.add(listener);
    return () => void this.exitListeners.delete(listener);
  }

  /** The child sends something. */
  send(message: unknown): void {
    for (const l of [...this.messageListeners]) l(message);
  }

  /** The process has exited: tells the exit listeners, once, as a real process does. */
  exit(exit: StreamingProcessExit): void {
    const listeners = [...this.exitListeners];
    this.exitListeners.clear();
    for (const l of listeners) l(exit);
  }
}

/** A streaming process that records what it is sent and exits (code 0) when asked to shut down, terminated or killed. */
export class RecordingStreamingProcess extends FakeStreamingProcess {
  pid: number | undefined = 4242;
  readonly posted: ToStreaming[] = [];
  post(message: ToStreaming): void {
    this.posted.push(message);
    if (message.type === 'shutdown') this.exitNow();
  }
  terminate(): void {
    this.exitNow();
  }
  kill(): void {
    this.exitNow();
  }
  private exitNow(): void {
    this.pid = undefined;
    this.exit({ code: 0, signal: null });
  }
}
