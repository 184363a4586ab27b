// Exits the streaming process when its parent is gone, so no orphan ever keeps
// streaming: polls the parent's pid (signal 0 only checks existence) and listens
// for the channel closing, whichever notices first.
import type { Owner } from '../../shared/lifecycle/owner';
import { ownedInterval, type Scheduler } from '../../shared/lifecycle/timers';
import type { ParentPort } from './parent-port';

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else; only ESRCH means gone.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function watchParent(scheduler: Scheduler, owner: Owner, port: ParentPort, parentPid: number, onGone: (why: string) => void, intervalMs = 500): void {
  let fired = false;
  const gone = (why: string) => {
    if (fired) return;
    fired = true;
    onGone(why);
  };
  ownedInterval(scheduler, owner, () => {
    if (!isProcessAlive(parentPid)) gone(`parent pid ${parentPid} is gone`);
  }, intervalMs, 'parent-watch');
  const off = port.onClose(() => gone('channel to the parent closed'));
  owner.add('handler', off);
}
