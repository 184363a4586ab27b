// The streaming process as a plain Node child (headless host, tests, benchmark).
// 'advanced' serialization carries the tick batches' Float64Arrays as binary.
import { fork, type ChildProcess } from 'node:child_process';
import { STREAMING_EXEC_ARGV, type SpawnStreamingProcess, type StreamingProcess, type StreamingProcessExit } from '../engine/supervisor/streaming-process';
import { processCpuMs } from '../engine/supervisor/process-cpu';
import type { ToStreaming } from '../../shared/contract/streaming-protocol';

/** `execArgv`: Node options after STREAMING_EXEC_ARGV; `args`: the streaming process's own arguments (e.g. --preload=binance, see entry.ts). */
export function nodeStreamingSpawner(entry: string, execArgv: string[] = [], args: string[] = []): SpawnStreamingProcess {
  const options = [...STREAMING_EXEC_ARGV, ...execArgv];
  return () => new NodeStreamingProcess(fork(entry, args, { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: options }));
}

class NodeStreamingProcess implements StreamingProcess {
  private exited = false;

  constructor(private readonly child: ChildProcess) {
    // An IPC error (parent writing to a dead child) must not crash the host.
    child.on('error', () => undefined);
    child.once('exit', () => (this.exited = true));
  }

  get pid(): number | undefined {
    return this.exited ? undefined : this.child.pid;
  }

  post(message: ToStreaming): void {
    if (!this.exited && this.child.connected) this.child.send(message);
  }

  onMessage(listener: (message: unknown) => void): () => void {
    this.child.on('message', listener);
    return () => void this.child.off('message', listener);
  }

  onExit(listener: (exit: StreamingProcessExit) => void): () => void {
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => listener({ code, signal });
    this.child.once('exit', onExit);
    return () => void this.child.off('exit', onExit);
  }

  terminate(): void {
    if (!this.exited) this.child.kill('SIGTERM');
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  cpuTimeMs(): number | undefined {
    return processCpuMs(this.pid);
  }
}
