// Exits the streaming process when its parent is gone, so no orphan ever keeps
// streaming: polls the parent's pid (signal 0 only checks existence) and listens
// for the channel closing, whichever notices first. The poll has no timer of its
// own: the caller runs it on its heartbeat, one wake-up for both.
import type { Owner } from '../../shared/lifecycle/owner';
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

/** Listens for the channel closing; returns the pid poll, which the caller runs periodically. */
export function watchParent(owner: Owner, port: ParentPort, parentPid: number, onGone: (why: string) => void, alive: (pid: number) => boolean = isProcessAlive): () => void {
  let fired = false;
  const gone = (why: string) => {
    if (fired) return;
    fired = true;
    onGone(why);
  };
  const off = port.onClose(() => gone('channel to the parent closed'));
  owner.add('handler', off);
  return () => {
    if (!fired && !alive(parentPid)) gone(`parent pid ${parentPid} is gone`);
  };
}
