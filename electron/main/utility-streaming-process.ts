// The streaming process as an Electron utilityProcess (desktop app).
import { app, utilityProcess, type UtilityProcess } from 'electron';
import type { SpawnStreamingProcess, StreamingProcess, StreamingProcessExit } from '../engine/supervisor/streaming-process';
import { processCpuMs } from '../engine/supervisor/process-cpu';
import type { ToStreaming } from '../../shared/contract/streaming-protocol';

/** `args`: the streaming process's own arguments (e.g. --preload=binance, see entry.ts). */
export function utilityStreamingSpawner(entry: string, args: string[] = []): SpawnStreamingProcess {
  return () => new UtilityStreamingProcess(utilityProcess.fork(entry, args, { serviceName: 'Foxtrot Streaming', stdio: 'inherit' }));
}

class UtilityStreamingProcess implements StreamingProcess {
  private exited = false;
  /** pid is undefined until 'spawn': remember it for a last kill after exit reports. */
  private knownPid: number | undefined;

  constructor(private readonly child: UtilityProcess) {
    child.once('spawn', () => (this.knownPid = child.pid));
    child.once('exit', () => (this.exited = true));
  }

  get pid(): number | undefined {
    return this.exited ? undefined : (this.child.pid ?? this.knownPid);
  }

  post(message: ToStreaming): void {
    // MessagePortMain-style queueing: messages before 'spawn' are delivered after it.
    if (!this.exited) this.child.postMessage(message);
  }

  onMessage(listener: (message: unknown) => void): void {
    this.child.on('message', listener);
  }

  onExit(listener: (exit: StreamingProcessExit) => void): void {
    this.child.once('exit', (code) => listener({ code, signal: null }));
  }

  terminate(): void {
    // UtilityProcess.kill() is SIGTERM on POSIX and a hard terminate on Windows.
    if (!this.exited) this.child.kill();
  }

  kill(): void {
    const pid = this.child.pid ?? this.knownPid;
    if (this.exited || pid === undefined) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      this.child.kill();
    }
  }

  /** Electron knows every child's CPU time on every platform; /proc is the fallback on Linux. */
  cpuTimeMs(): number | undefined {
    const pid = this.pid;
    if (pid === undefined) return undefined;
    const seconds = app.getAppMetrics().find((m) => m.pid === pid)?.cpu.cumulativeCPUUsage;
    return seconds !== undefined ? seconds * 1000 : processCpuMs(pid);
  }
}
