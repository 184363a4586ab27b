// The focused instrument's depth and tape in the renderer, outside React: frames write
// here, the ladder and tape painters read it once per animation frame. Selecting another
// instrument asks main to focus it and forgets the previous one's data at once, so the
// ladder never shows one instrument's book under another's name.
import type { DepthView, TapeView } from '../../../shared/contract/renderer-api';
import type { LadderSettings, TapeSettings } from '../../../shared/settings';
import { TapeModel } from './tape-model';
import { VolumeAtPrice } from './ladder-math';

export class FocusState {
  key: string | null = null;
  depth: DepthView | null = null;
  /** Local time the current depth arrived (its age when the exchange gave no time). */
  depthAt = 0;
  readonly tape: TapeModel;
  readonly volume: VolumeAtPrice;
  /** Set by every change; the painters clear it. */
  dirty = true;
  /** Since the last take (benchmark marks): receipt of the newest book applied, and the oldest streamed trade's exchange time; NaN: none. */
  private depthMark = NaN;
  private tradeMark = NaN;
  ladder: LadderSettings;
  tapeOptions: TapeSettings;

  constructor(ladder: LadderSettings, tape: TapeSettings) {
    this.ladder = ladder;
    this.tapeOptions = tape;
    this.tape = new TapeModel(tape);
    this.volume = new VolumeAtPrice(ladder.volumeMinutes * 60_000);
  }

  /** A new instrument: nothing of the previous one stays on screen. */
  select(key: string): boolean {
    if (key === this.key) return false;
    this.key = key;
    this.depth = null;
    this.tape.clear();
    this.volume.clear();
    this.dirty = true;
    return true;
  }

  setOptions(ladder: LadderSettings, tape: TapeSettings): void {
    this.ladder = ladder;
    this.tapeOptions = tape;
    this.tape.setOptions(tape);
    this.volume.setWindow(ladder.volumeMinutes * 60_000);
    this.dirty = true;
  }

  /** A frame's depth and tape parts (ignored when they are not for the instrument selected now). */
  apply(depth: DepthView | undefined, tape: TapeView | undefined, localNow: number): void {
    if (depth && depth.key === this.key) {
      this.depth = depth;
      this.depthAt = localNow;
      this.depthMark = depth.receivedAt;
      this.dirty = true;
    }
    if (tape && tape.key === this.key) {
      if (tape.reset) this.volume.clear();
      for (const t of tape.trades) {
        this.volume.add(t[0], t[1], t[3]);
        // trades recovered over REST are old by nature: not a measure of the live path
        if (t[4] === 0 && !(t[3] >= this.tradeMark)) this.tradeMark = t[3];
      }
      this.tape.apply(tape);
      this.dirty = true;
    }
  }

  /** The book receipt time painted since the last take (NaN: no new book), then forgets it. */
  takeDepthMark(): number {
    const v = this.depthMark;
    this.depthMark = NaN;
    return v;
  }

  /** The oldest streamed trade's exchange time painted since the last take (NaN: none), then forgets it. */
  takeTradeMark(): number {
    const v = this.tradeMark;
    this.tradeMark = NaN;
    return v;
  }
}
