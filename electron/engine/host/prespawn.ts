// Starts the streaming process before the engine asks for it, so that its own
// start-up (Node, its bundle, the exchange classes) overlaps the host's (settings,
// listening, the window). The first spawn the supervisor asks for gets this
// process, with whatever it said (and its exit, if it already exited) before anyone
// listened, replayed in order; every later spawn (a restart) is a fresh one. A
// process nobody claimed (a quit during start-up) is terminated by dispose().
import type { SpawnStreamingProcess, StreamingProcess, StreamingProcessExit } from '../supervisor/streaming-process';
import type { ToStreaming } from '../../../shared/contract/streaming-protocol';

export class PrespawnedStreaming {
  private early: HeldProcess | undefined;

  constructor(private readonly spawnFresh: SpawnStreamingProcess) {
    this.early = new HeldProcess(spawnFresh());
  }

  /** The spawner to give the engine: the early process first, then fresh ones. */
  readonly spawn: SpawnStreamingProcess = () => {
    const early = this.early;
    this.early = undefined;
    return early ?? this.spawnFresh();
  };

  /** Whether the early process is still waiting to be claimed. */
  get unclaimed(): boolean {
    return this.early !== undefined;
  }

  /** Ends the early process if it was never claimed; a claimed one belongs to the supervisor. */
  dispose(): void {
    this.early?.terminate();
    this.early = undefined;
  }
}

/** A process whose messages and exit are kept until someone listens. */
class HeldProcess implements StreamingProcess {
  private held: unknown[] = [];
  private exit: StreamingProcessExit | undefined;
  private messageListener: ((message: unknown) => void) | undefined;
  private exitListener: ((exit: StreamingProcessExit) => void) | undefined;

  constructor(private readonly inner: StreamingProcess) {
    inner.onMessage((m) => (this.messageListener ? this.messageListener(m) : this.held.push(m)));
    inner.onExit((e) => (this.exitListener ? this.exitListener(e) : (this.exit = e)));
  }

  get pid(): number | undefined {
    return this.inner.pid;
  }

  post(message: ToStreaming): void {
    this.inner.post(message);
  }

  /** One listener at a time (the supervisor's); what arrived before it is replayed. */
  onMessage(listener: (message: unknown) => void): () => void {
    const held = this.held;
    this.held = [];
    this.messageListener = listener;
    for (const m of held) listener(m);
    return () => {
      if (this.messageListener === listener) this.messageListener = undefined;
    };
  }

  onExit(listener: (exit: StreamingProcessExit) => void): () => void {
    this.exitListener = listener;
    if (this.exit) listener(this.exit);
    return () => {
      if (this.exitListener === listener) this.exitListener = undefined;
    };
  }

  terminate(): void {
    this.inner.terminate();
  }

  kill(): void {
    this.inner.kill();
  }

  cpuTimeMs(): number | undefined {
    return this.inner.cpuTimeMs?.();
  }
}
