// An in-process channel pair with the same semantics as IPC: messages are
// structured-cloned and delivered asynchronously, so tests drive the service
// exactly as the parent would, without spawning a process.
import type { ParentPort } from './parent-port';
import { nextTurn } from '../../shared/lifecycle/timers';

export interface MemoryParent {
  send(msg: unknown): void;
  onMessage(cb: (msg: unknown) => void): () => void;
  /** Simulates the parent going away (channel disconnect). */
  disconnect(): void;
}

export function memoryChannel(): { child: ParentPort; parent: MemoryParent } {
  const toChild = new Set<(m: unknown) => void>();
  const toParent = new Set<(m: unknown) => void>();
  const closeHandlers = new Set<() => void>();
  let open = true;
  const deliver = (set: Set<(m: unknown) => void>, msg: unknown) => {
    if (!open) return;
    const copy = structuredClone(msg);
    nextTurn(() => {
      for (const cb of set) cb(copy);
    });
  };
  const child: ParentPort = {
    kind: 'memory',
    post: (msg) => deliver(toParent, msg),
    onMessage(cb) {
      toChild.add(cb);
      return () => toChild.delete(cb);
    },
    onClose(cb) {
      closeHandlers.add(cb);
      return () => closeHandlers.delete(cb);
    },
    close() {
      open = false;
    },
  };
  const parent: MemoryParent = {
    send: (msg) => deliver(toChild, msg),
    onMessage(cb) {
      toParent.add(cb);
      return () => toParent.delete(cb);
    },
    disconnect() {
      if (!open) return;
      open = false;
      for (const cb of closeHandlers) cb();
    },
  };
  return { child, parent };
}
