// CPU time another process has used, where the OS lets us read it cheaply: Linux's
// /proc (schedstat: nanoseconds on a CPU; stat: clock ticks, 100 per second on
// every Linux the app runs on). Elsewhere undefined; the hang decision then falls
// back to silence alone.
import { readFileSync } from 'node:fs';

export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    const ns = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
    if (Number.isFinite(ns)) return ns / 1e6;
  } catch {
    // No schedstat (kernel without CONFIG_SCHED_INFO) or the process is gone: try stat.
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command (which may contain spaces): utime is the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}
