// What the rest of the engine reads of the streaming supervisor: a copy of its
// counters and state, taken a few times a second (diagnostics, the benchmark),
// never its fields through the concrete class.
import type { ProcessVitals } from '../../../shared/contract/status';
import type { StreamingState } from '../../../shared/engine-states';

export interface StreamingSnapshot {
  state: StreamingState;
  /** OS pid of the current process; undefined when none runs. */
  pid: number | undefined;
  restarts: number;
  lastRestartReason: string | undefined;
  /** The process's latest heartbeat vitals. */
  vitals: ProcessVitals | undefined;
  /** Messages (anything, valid or not), tick batches and ticks received since start. */
  messagesIn: number;
  batchesIn: number;
  ticksIn: number;
  /** Messages posted to the process since start (ticks-acks, subscriptions, control). */
  messagesOut: number;
  /** Batches missing from the sequence (lost between the processes). */
  lostBatches: number;
  /** Messages from the process refused as invalid. */
  invalidMessages: number;
  /** How late the process's last heartbeat fired (ms): its event-loop lag; undefined before the first. */
  loopLagMs?: number;
}

export interface StreamingSnapshotSource {
  snapshot(): StreamingSnapshot;
}
