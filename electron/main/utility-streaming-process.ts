// The streaming process as an Electron utilityProcess (desktop app).
import { nextTurn } from '../../shared/lifecycle/timers';
import { app, utilityProcess, type Details, type Event as ElectronEvent, type UtilityProcess } from 'electron';
import { STREAMING_EXEC_ARGV, type SpawnStreamingProcess, type StreamingProcess, type StreamingProcessExit } from '../engine/supervisor/streaming-process';
import { processCpuMs } from '../engine/supervisor/process-cpu';
import type { ToStreaming } from '../../shared/contract/streaming-protocol';
import { UtilityExitReason } from './utility-exit-reason';

/** Shown in app metrics and reported as `name` by app's 'child-process-gone'. */
const SERVICE_NAME = 'Foxtrot Streaming';

/** `args`: the streaming process's own arguments (e.g. --preload=binance, see entry.ts). */
export function utilityStreamingSpawner(entry: string, args: string[] = []): SpawnStreamingProcess {
  return () => new UtilityStreamingProcess(utilityProcess.fork(entry, args, { serviceName: SERVICE_NAME, stdio: 'inherit', execArgv: [...STREAMING_EXEC_ARGV] }));
}

class UtilityStreamingProcess implements StreamingProcess {
  private exited = false;
  /** pid is undefined until 'spawn': remember it for a last kill after exit reports. */
  private knownPid: number | undefined;
  private readonly reason = new UtilityExitReason(SERVICE_NAME);
  /** The exit with its reason, delivered one turn after 'exit' (see utility-exit-reason.ts). */
  private readonly exit: Promise<StreamingProcessExit>;

  constructor(private readonly child: UtilityProcess) {
    child.once('spawn', () => (this.knownPid = child.pid));
    child.on('error', (type, location) => this.reason.onError(type, location));
    const onGone = (_e: ElectronEvent, details: Details): void => this.reason.onChildGone(details);
    app.on('child-process-gone', onGone);
    this.exit = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.exited = true;
        nextTurn(() => {
          app.off('child-process-gone', onGone);
          resolve(this.reason.exit(code));
        });
      });
    });
  }

  get pid(): number | undefined {
    return this.exited ? undefined : (this.child.pid ?? this.knownPid);
  }

  post(message: ToStreaming): void {
    // MessagePortMain-style queueing: messages before 'spawn' are delivered after it.
    if (!this.exited) this.child.postMessage(message);
  }

  onMessage(listener: (message: unknown) => void): () => void {
    this.child.on('message', listener);
    return () => void this.child.off('message', listener);
  }

  onExit(listener: (exit: StreamingProcessExit) => void): () => void {
    let listening = true;
    void this.exit.then((exit) => {
      if (listening) listener(exit);
    });
    return () => (listening = false);
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
