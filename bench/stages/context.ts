// What a stage module gets from the benchmark's driver (bench.ts): the simulator,
// ways to start a host and a browser that the driver owns and cleans up, and the
// run's scale. Stages return their figures; the driver reports them.
import type { Browser } from '@playwright/test';
import type { Status } from '../judge';
import type { HostStats, IpcFloor, SimInfo } from '../protocol';
import type { Worker } from '../rpc';

export interface BenchContext {
  quick: boolean;
  sim: Worker;
  simInfo: SimInfo;
  /** Starts another simulator process (owned by the driver, stopped with stopWorker) streaming every trade, as an exchange does. */
  startEveryTradeSimulator(): Promise<{ sim: Worker; info: SimInfo }>;
  /** Starts host-worker on the bench simulator's "sim" exchange; `extra` is merged into its settings. */
  startHost(symbols: string[], channels: string[], extra?: Record<string, unknown>): Promise<{ host: Worker; url: string }>;
  stopWorker(w: Worker): Promise<void>;
  /** Forks a benchmark worker (out/bench/<file>) the driver owns and cleans up. */
  fork(name: string, file: string): Worker;
  /** Waits until neither the host nor its streaming process has taken a tick in for quietMs (bench.ts drain); returns the host's last stats. */
  drain(host: Worker, quietMs?: number, timeoutMs?: number): Promise<HostStats>;
  getBrowser(): Promise<Browser>;
  /** Chromium renderer processes of the benchmark's browser. */
  rendererPids(): number[];
  /** The bare process boundary's cost at `batchesPerS`, acknowledged as the supervisor does (ipc-floor-worker.ts). */
  measureBoundary(batchesPerS: number): Promise<IpcFloor | { error: string }>;
}

/** Adds one table row (bench.ts report()). */
export type Reporter = (stage: string, figure: string, value: string, target?: string, verdict?: Status | boolean, vsCeiling?: string) => void;

/** Figures relative to the run's ceiling (judge.ts rateVsCeiling / durationVsCeiling); '' without one. */
export interface VsCeiling {
  rate(perS: number): string;
  ms(ms: number[]): string;
}
