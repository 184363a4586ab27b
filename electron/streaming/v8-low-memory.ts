// The Node side of IdleMemoryTrim: the young generation's size, and a collection
// that gives memory back. Neither --expose-gc's gc() (any type or flavour) nor a
// regular full collection shrinks V8's young generation (measured on Node 20: a
// 64 MB semi-space stays committed); the inspector's HeapProfiler.collectGarbage
// runs V8's low-memory collection, which does (2 × 16 MB → 1 MB, RSS -33 MB on the
// idle streaming process). The session is in-process: no port is opened, and no
// inspector domain is enabled.
import { Session } from 'node:inspector';
import { getHeapSpaceStatistics } from 'node:v8';
import { nextTurn } from '../../shared/lifecycle/timers';

/** Committed bytes of the young generation. */
export function youngGenerationBytes(): number {
  for (const space of getHeapSpaceStatistics()) if (space.space_name === 'new_space') return space.space_size;
  return 0;
}

export interface LowMemoryCollection {
  /** Settles once the collection ran; rejects if the inspector refused. */
  done: Promise<void>;
  /** Ends the session (idempotent); a collection not run yet may not run. */
  close(): void;
}

/** Starts V8's low-memory collection; it runs on the process's own thread a moment later (a posted task). */
export function collectForLowMemory(): LowMemoryCollection {
  const session = new Session();
  let connected = false;
  let cancelTurn: (() => void) | undefined;
  const close = () => {
    cancelTurn?.();
    if (!connected) return;
    connected = false;
    session.disconnect();
  };
  const done = new Promise<void>((resolve, reject) => {
    session.connect();
    connected = true;
    session.post('HeapProfiler.collectGarbage', (error) => {
      // Not from inside the inspector's own callback: disconnecting there leaves the
      // process unable to exit (seen on Node 20).
      cancelTurn = nextTurn(close);
      if (error) reject(error);
      else resolve();
    });
  });
  return { done, close };
}
