// The renderer's side of the engine's focus per link: one FocusState (book, tape,
// traded volume) per link that holds a ladder or tape, each on its own instrument.
// It tells main which instrument each link follows (focus) and which links have no
// ladder or tape left (unfocus), and hands each frame's depths and tapes to the
// links on their instrument. Outside React: frames write here, painters read it.
import type { DepthView, FromRenderer, TapeView } from '../../../shared/contract/renderer-api';
import { instrumentId } from '../../../shared/market';
import type { LadderSettings, TapeSettings } from '../../../shared/settings';
import type { Link, WorkspaceInstrument } from '../../../shared/workspace';

/** What this needs of a link's state (depth/focus-state.ts's FocusState). */
export interface LinkFocusState {
  key: string | null;
  dirty: boolean;
  select(key: string): boolean;
  setOptions(ladder: LadderSettings, tape: TapeSettings): void;
  apply(depth: DepthView | undefined, tape: TapeView | undefined, localNow: number): void;
}

export interface MarketFocusDeps<S extends LinkFocusState> {
  send(message: Extract<FromRenderer, { type: 'focus' | 'unfocus' }>): void;
  /** A new link's state, with the current options. */
  create(): S;
}

export class MarketFocus<S extends LinkFocusState> {
  private readonly links = new Map<Link, S>();
  /** Links whose focus main has this session. */
  private readonly told = new Set<Link>();

  constructor(private readonly deps: MarketFocusDeps<S>) {}

  /**
   * The links that hold a ladder or tape now, with their instruments: new or moved ones
   * are focused (their state forgets the previous instrument at once), links no longer
   * shown are unfocused. Returns whether anything changed.
   */
  follow(shown: ReadonlyMap<Link, WorkspaceInstrument>): boolean {
    let changed = false;
    for (const link of this.links.keys()) {
      if (shown.has(link)) continue;
      this.links.delete(link);
      changed = true;
      if (this.told.delete(link)) this.deps.send({ type: 'unfocus', group: link });
    }
    for (const [link, i] of shown) {
      let state = this.links.get(link);
      if (!state) this.links.set(link, (state = this.deps.create()));
      if (state.select(instrumentId(i.exchange, i.symbol)) || !this.told.has(link)) {
        changed = true;
        this.told.add(link);
        this.deps.send({ type: 'focus', group: link, focus: { exchange: i.exchange, symbol: i.symbol } });
      }
    }
    return changed;
  }

  /** A new session: main holds no focus for us; the next follow() sends every link's again. */
  newSession(): void {
    this.told.clear();
  }

  /** The state a link's ladder and tape paint (undefined: the link shows none). */
  of(link: Link): S | undefined {
    return this.links.get(link);
  }

  states(): IterableIterator<[Link, S]> {
    return this.links.entries();
  }

  setOptions(ladder: LadderSettings, tape: TapeSettings): void {
    for (const s of this.links.values()) s.setOptions(ladder, tape);
  }

  /** A frame's depths and tapes, each to every link on its instrument. */
  apply(depths: readonly DepthView[] | undefined, tapes: readonly TapeView[] | undefined, localNow: number): void {
    for (const s of this.links.values()) {
      if (depths) for (const d of depths) if (d.key === s.key) s.apply(d, undefined, localNow);
      if (tapes) for (const t of tapes) if (t.key === s.key) s.apply(undefined, t, localNow);
    }
  }
}
