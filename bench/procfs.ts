// Per-process CPU time, RSS and children from /proc (Linux), for processes the
// benchmark did not start itself (streaming process, Chromium renderers).
import { readFileSync, readdirSync } from 'node:fs';

const TICK_MS = 10; // CLK_TCK = 100 on Linux

function stat(pid: number): string[] | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name may contain spaces: fields start after the last ')'
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** User + system CPU ms of a process (0 when gone). */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  const f = stat(pid);
  if (!f) return 0;
  return (Number(f[11]) + Number(f[12])) * TICK_MS;
}

/** Resident set size in bytes (0 when gone). */
export function rssBytes(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** `voluntary_ctxt_switches` of a /proc status text: how often the thread blocked and was woken. */
export function parseVoluntarySwitches(status: string): number {
  const m = /^voluntary_ctxt_switches:\s+(\d+)$/m.exec(status);
  return m ? Number(m[1]) : 0;
}

/**
 * Wake-ups of a process's main thread so far (its voluntary context switches: each
 * is one wait for the event loop's next timer, message or frame), 0 when gone. Unlike
 * CPU time this does not depend on how loaded the machine is.
 */
export function mainThreadWakeups(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    return parseVoluntarySwitches(readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8'));
  } catch {
    return 0;
  }
}

/** Running (not gone, not a zombie). */
export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  const f = stat(pid);
  return f !== undefined && f[0] !== 'Z' && f[0] !== 'X';
}

export function children(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // gone
  }
  return out;
}

export function descendants(pid: number): number[] {
  const out: number[] = [];
  const todo = [pid];
  while (todo.length) {
    for (const c of children(todo.pop()!)) {
      out.push(c);
      todo.push(c);
    }
  }
  return out;
}

export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}
