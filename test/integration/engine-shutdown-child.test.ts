// The coordinator against a real child process that will not stop when asked:
// a graceful request (SIGTERM) is ignored, so the component's budget and the
// overall deadline must end in a hard kill, and the pid must be gone.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Component } from '../../electron/engine/lifecycle/component';
import { ComponentHost } from '../../electron/engine/lifecycle/component-host';
import { ShutdownCoordinator, type ShutdownResult } from '../../electron/engine/shutdown/coordinator';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Owns one child process; stop() asks politely with SIGTERM and waits for it to exit. */
class ChildComponent implements Component {
  child: ChildProcess | undefined;
  exited: Promise<unknown> | undefined;
  readonly calls: string[] = [];

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly sigstop = false,
    readonly dependsOn: readonly string[] = [],
  ) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['-e', this.script], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    this.exited = once(child, 'exit');
    // Wait until the child has installed its SIGTERM handler.
    await once(child.stdout!, 'data');
    if (this.sigstop) process.kill(child.pid!, 'SIGSTOP');
  }

  async stop(signal: AbortSignal): Promise<void> {
    this.calls.push('stop');
    this.child!.kill('SIGTERM');
    await Promise.race([this.exited, once(signal, 'abort')]);
    if (signal.aborted) throw new Error('did not exit after SIGTERM');
  }

  forceStop(): void {
    this.calls.push('forceStop');
    this.child!.kill('SIGKILL');
  }
}

async function shutDown(components: ChildComponent[], deadlineMs: number): Promise<{ result: ShutdownResult; wallMs: number; exits: number[] }> {
  const host = new ComponentHost();
  for (const c of components) host.add(c);
  await host.startAll();
  const exits: number[] = [];
  const coordinator = new ShutdownCoordinator({
    components: host,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    exit: (code) => exits.push(code),
    deadlineMs,
  });
  // Like the streaming supervisor's hard kill: make sure the pid is gone, whatever happened before.
  coordinator.addKillHook('child processes', async (remainingMs) => {
    for (const c of components) if (c.child?.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await Promise.race([Promise.all(components.map((c) => c.exited)), new Promise((r) => setTimeout(r, remainingMs))]);
  });
  const t0 = performance.now();
  const result = await coordinator.request('SIGTERM');
  return { result, wallMs: performance.now() - t0, exits };
}

const IGNORES_SIGTERM_BUSY = `process.on('SIGTERM', () => {}); console.log('ready'); setTimeout(() => { for (;;) {} }, 10);`;
const IGNORES_SIGTERM = `process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000);`;

describe.skipIf(process.platform === 'win32')('shutdown of a real child process that ignores the graceful request', () => {
  it('kills a busy-looping child after the deadline; the pid is gone', async () => {
    const busy = new ChildComponent('busy', IGNORES_SIGTERM_BUSY);
    const { result, wallMs, exits } = await shutDown([busy], 1200);
    const pid = busy.child!.pid!;
    expect(busy.calls).toEqual(['stop', 'forceStop']);
    expect(busy.child!.signalCode).toBe('SIGKILL');
    expect(alive(pid)).toBe(false);
    expect(result.components).toEqual([expect.objectContaining({ name: 'busy', outcome: 'forced' })]);
    expect(result.escalations[0]).toMatch(/busy: stop budget of \d+ ms ran out|graceful phase ran out/);
    expect(result).toMatchObject({ clean: false, exitCode: 1 });
    expect(exits).toEqual([1]);
    // Graceful ran until the deadline's graceful window (900 ms), then it was killed promptly.
    expect(wallMs).toBeGreaterThanOrEqual(850);
    expect(wallMs).toBeLessThan(1200 + 300);
  });

  it('kills a SIGSTOPped child and a SIGTERM-ignoring one, stopping them in dependency order', async () => {
    const stopped = new ChildComponent('frozen', IGNORES_SIGTERM, true);
    const deaf = new ChildComponent('deaf', IGNORES_SIGTERM, false, ['frozen']); // deaf stops first, frozen after it
    const { result, wallMs } = await shutDown([stopped, deaf], 1200);
    expect(alive(stopped.child!.pid!)).toBe(false);
    expect(alive(deaf.child!.pid!)).toBe(false);
    expect(stopped.child!.signalCode).toBe('SIGKILL');
    expect(deaf.child!.signalCode).toBe('SIGKILL');
    expect(result.components.map((c) => `${c.name}:${c.outcome}`)).toEqual(['frozen:forced', 'deaf:forced']);
    expect(wallMs).toBeLessThan(1200 + 300);
  });

  it('a child that honours SIGTERM stops cleanly, and the exit code is 0', async () => {
    const polite = new ChildComponent('polite', `process.on('SIGTERM', () => process.exit(0)); console.log('ready'); setInterval(() => {}, 1000);`);
    const { result, wallMs, exits } = await shutDown([polite], 3000);
    expect(polite.calls).toEqual(['stop']);
    expect(alive(polite.child!.pid!)).toBe(false);
    expect(result).toMatchObject({ clean: true, exitCode: 0, escalations: [] });
    expect(exits).toEqual([0]);
    expect(wallMs).toBeLessThan(1000);
  });
});
