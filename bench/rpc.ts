// Request/response over a forked child's IPC channel, both sides, with bounded waits.
import { fork, type ChildProcess } from 'node:child_process';

interface Request { rpc: number; cmd: string; args: unknown }
interface Response { rpc: number; ok: boolean; result?: unknown; error?: string }

export type Handlers = Record<string, (args: never) => unknown>;

/** Child side: answers requests from the parent; exits when the parent goes away. */
export function serveRpc(handlers: Handlers): void {
  process.on('message', (m: Request) => {
    if (typeof m !== 'object' || m === null || typeof m.rpc !== 'number') return;
    const h = handlers[m.cmd];
    const reply = (r: Omit<Response, 'rpc'>): void => {
      if (process.connected) process.send?.({ rpc: m.rpc, ...r });
    };
    if (!h) return reply({ ok: false, error: `unknown command ${m.cmd}` });
    Promise.resolve()
      .then(() => h(m.args as never))
      .then((result) => reply({ ok: true, result }), (e: unknown) => reply({ ok: false, error: e instanceof Error ? e.stack ?? e.message : String(e) }));
  });
  process.on('disconnect', () => process.exit(0));
}

export class Worker {
  readonly child: ChildProcess;
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  readonly exited: Promise<number | null>;
  private lines: string[] = [];

  constructor(readonly name: string, script: string, args: string[] = [], execArgv: string[] = []) {
    this.child = fork(script, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv, serialization: 'advanced' });
    const keep = (d: Buffer): void => {
      this.lines.push(...d.toString().split('\n').filter(Boolean));
      if (this.lines.length > 200) this.lines = this.lines.slice(-100);
      if (process.env.BENCH_VERBOSE) process.stderr.write(`[${name}] ${d.toString()}`);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.child.on('message', (m: Response) => {
      const w = this.waiting.get(m.rpc);
      if (!w) return;
      this.waiting.delete(m.rpc);
      clearTimeout(w.timer);
      if (m.ok) w.resolve(m.result);
      else w.reject(new Error(`${name}: ${m.error}`));
    });
    this.exited = new Promise((r) => this.child.once('exit', (code) => {
      for (const w of this.waiting.values()) {
        clearTimeout(w.timer);
        w.reject(new Error(`${name} exited (code ${code}) ${this.lines.slice(-5).join(' | ')}`));
      }
      this.waiting.clear();
      r(code);
    }));
  }

  get pid(): number {
    return this.child.pid!;
  }

  output(): string {
    return this.lines.join('\n');
  }

  call<T>(cmd: string, args: unknown = {}, timeoutMs = 30_000): Promise<T> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.reject(new Error(`${this.name} is not running`));
    const rpc = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(rpc);
        reject(new Error(`${this.name}: ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(rpc, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.send({ rpc, cmd, args } satisfies Request);
    });
  }

  /** Asks politely (stop command / SIGTERM), then kills; always resolves. */
  async stop(timeoutMs = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = this.exited.then(() => true);
    this.call('stop', {}, timeoutMs).catch(() => undefined);
    const t = await Promise.race([gone, sleep(timeoutMs).then(() => false)]);
    if (!t) {
      this.child.kill('SIGKILL');
      await Promise.race([this.exited, sleep(2000)]);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
