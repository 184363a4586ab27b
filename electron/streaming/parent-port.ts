// The one place that knows how this process talks to its parent: an Electron
// utilityProcess (process.parentPort, messages arrive as {data}) or a Node
// child_process.fork with serialization 'advanced' (process.send / 'message').
// Everything else sees only ParentPort.

export interface ParentPort {
  post(msg: unknown): void;
  /** Registers the message handler; returns a function that removes it. */
  onMessage(cb: (msg: unknown) => void): () => void;
  /** Called once when the channel to the parent closes (parent gone or disconnected). */
  onClose(cb: () => void): () => void;
  close(): void;
  readonly kind: 'electron' | 'node' | 'memory';
}

interface ElectronParentPort {
  on(event: 'message', cb: (e: { data: unknown }) => void): unknown;
  off(event: 'message', cb: (e: { data: unknown }) => void): unknown;
  postMessage(msg: unknown): void;
}

/** Picks the host's channel. Throws when started without a parent to talk to. */
export function connectToParent(): ParentPort {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) return electronParentPort(electronPort);
  if (typeof process.send === 'function') return nodeParentPort();
  throw new Error('streaming process started without a parent channel (need utilityProcess or fork with an IPC channel)');
}

function electronParentPort(port: ElectronParentPort): ParentPort {
  return {
    kind: 'electron',
    post: (msg) => port.postMessage(msg),
    onMessage(cb) {
      const h = (e: { data: unknown }) => cb(e.data);
      port.on('message', h);
      return () => port.off('message', h);
    },
    // A utility process has no disconnect event: the parent-pid watch covers its death.
    onClose: () => () => undefined,
    close: () => undefined,
  };
}

function nodeParentPort(): ParentPort {
  let closed = false;
  return {
    kind: 'node',
    post(msg) {
      if (closed || !process.connected) return;
      try {
        process.send!(msg);
      } catch {
        // Channel closed between the check and the send: the disconnect handler exits us.
      }
    },
    onMessage(cb) {
      process.on('message', cb);
      return () => process.off('message', cb);
    },
    onClose(cb) {
      process.once('disconnect', cb);
      return () => process.off('disconnect', cb);
    },
    close() {
      if (closed) return;
      closed = true;
      if (process.connected) process.disconnect();
    },
  };
}
