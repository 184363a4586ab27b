// The renderer's real FrameScheduler over a real RowStore, with an animation frame the
// test cranks by hand (`paint()`) and a row store the test can make fail.
import { FrameScheduler } from '../../renderer/src/paint/frame-scheduler';
import { RowStore } from '../../renderer/src/state/row-store';

export interface HandCrankedFrames {
  rows: RowStore;
  scheduler: FrameScheduler;
  /** Runs the frames requested so far, at frame time `frameTime`. */
  paint: () => void;
  /** While true, applying a frame throws `new Error(failure)`. */
  setApplyFails: (fails: boolean) => void;
}

export function handCrankedFrames(opts: { ack: (seq: number) => void; failure: string; frameTime: number }): HandCrankedFrames {
  const rows = new RowStore();
  const frameQueue: ((t: number) => void)[] = [];
  let applyFails = false;
  const scheduler = new FrameScheduler({
    requestFrame: (cb) => frameQueue.push(cb),
    clock: () => 0,
    apply: (r) => {
      if (applyFails) throw new Error(opts.failure);
      return rows.apply(r, 0);
    },
    paint: () => undefined,
    ack: opts.ack,
  });
  return { rows, scheduler, paint: () => frameQueue.splice(0).forEach((cb) => cb(opts.frameTime)), setApplyFails: (fails) => (applyFails = fails) };
}
