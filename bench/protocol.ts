// What the benchmark's worker processes answer over IPC (rpc.ts): the simulator
// (sim-worker), the host (host-worker) and the renderer-store stand-in (store-client).

export interface SimInfo { urls: { rest: string; ws: string; control: string }; symbols: string[] }
export interface SimView { connections: number; streams: number; totals: { messagesSent: number; messagesSkipped: number } }
export interface SimSnapshot { tradesSent: number; tickers: Record<string, { bid: number; ask: number; E: number }>; totals: SimView['totals'] }
export interface HostStats {
  at: number; cpuMs: number; rss: number; streamingPid: number | undefined; supervisorState: string; messagesIn: number; messagesOut: number; batchesIn: number; ticksIn: number; lostBatches: number; restarts: number;
  streamingTicksIn: number; streamingTicksOut: number; streamingTicksPending: number; streamingVitalsAt: number; streamingRss: number;
  /** The streaming process's GC pauses as of its last heartbeat: count and ms since its start, the longest in that beat (ms). */
  streamingGc: { count: number; pauseMs: number; maxPauseMs: number; heldAfterMajorBytes?: number }; tickersApplied: number; tradesApplied: number; tradesShed: number; framesSent: number; messagesToRenderers: number;
  dirty: number; awaiting: number; socketBuffered: number; renderers: number;
}
export interface StoreStats { frames: number; messages: number; rowsIn: number; rows: number; withData: number; cpuMs: number }
/** The bare process boundary's cost at one message rate (ipc-floor-worker.ts); CPU in ms per second of wall time. */
export interface IpcFloor {
  /** Batches the child sent per second, acks the host sent back per second. */
  batchesPerS: number;
  acksPerS: number;
  /** The child's CPU with its timer turns only, and with a batch sent in each. */
  childControlMsPerS: number;
  childSendingMsPerS: number;
  /** The host's CPU while receiving and acknowledging (its own idle cost is in it, ~0). */
  hostMsPerS: number;
  /** What the boundary adds: (childSending − childControl) + host. */
  floorMsPerS: number;
}
