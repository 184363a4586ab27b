// Which instrument each renderer's ladders and tapes follow: one focus per renderer
// and link (four colour groups and "none", so at most five), each holding the book
// and trades of its instrument as a consumer of its own in the subscription
// references. Two links on one instrument hold it twice and share one cursor: a
// frame carries each instrument once. Pure bookkeeping over SubscriptionRefs; the
// engine applies the subscription changes and reads the feed through the cursors.
import type { Link } from '../../../shared/workspace';
import type { Focus } from '../../../shared/settings';
import { instrumentId, type SubscriptionKey } from '../../../shared/market';
import type { FocusCursor } from './focus-feed';
import type { RefChange, SubscriptionRefs } from './subscription-refs';

interface ClientFocus {
  /** The instrument key each link follows. */
  links: Map<Link, string>;
  /** One cursor per instrument key the links follow. */
  cursors: Map<string, FocusCursor>;
}

const NONE: RefChange = { added: [], removed: [] };

function focusKeys(f: Focus): SubscriptionKey[] {
  return [{ exchange: f.exchange, symbol: f.symbol, channel: 'book' }, { exchange: f.exchange, symbol: f.symbol, channel: 'trades' }];
}

/** The consumer name of one renderer's link in the subscription references. */
export function focusConsumer(clientId: string, link: Link): string {
  return `focus:${clientId}:${link}`;
}

export class RendererFocus {
  private readonly clients = new Map<string, ClientFocus>();

  constructor(private readonly refs: SubscriptionRefs) {}

  /**
   * `link` of this renderer follows `f`. Its cursor starts over (the next frame carries
   * the whole book and recent tape of the instrument), also when another link already
   * followed it: that link's panels then get the full tape again, which they replace theirs by.
   */
  focus(clientId: string, link: Link, f: Focus): RefChange {
    const key = instrumentId(f.exchange, f.symbol);
    let c = this.clients.get(clientId);
    if (!c) this.clients.set(clientId, (c = { links: new Map(), cursors: new Map() }));
    c.links.set(link, key);
    this.dropUnfollowed(c);
    const cursor = c.cursors.get(key);
    if (cursor) restart(cursor);
    else c.cursors.set(key, { key, tapeSeq: -1, gapSeq: 0, bookVersion: -1 });
    return this.refs.set(focusConsumer(clientId, link), focusKeys(f));
  }

  /** `link` of this renderer has no ladder or tape left: what only it held is released. */
  unfocus(clientId: string, link: Link): RefChange {
    const c = this.clients.get(clientId);
    if (!c?.links.delete(link)) return NONE;
    this.dropUnfollowed(c);
    if (c.links.size === 0) this.clients.delete(clientId);
    return this.refs.release(focusConsumer(clientId, link));
  }

  /** The renderer went away: every link of it is released. */
  release(clientId: string): RefChange {
    const c = this.clients.get(clientId);
    if (!c) return NONE;
    const change: RefChange = { added: [], removed: [] };
    for (const link of c.links.keys()) change.removed.push(...this.refs.release(focusConsumer(clientId, link)).removed);
    this.clients.delete(clientId);
    return change;
  }

  /** The cursors of one renderer (one per focused instrument); empty when it focuses nothing. */
  cursors(clientId: string): Iterable<FocusCursor> {
    return this.clients.get(clientId)?.cursors.values() ?? [];
  }

  /** The instrument each link of a renderer follows (diagnostics and tests). */
  links(clientId: string): ReadonlyMap<Link, string> {
    return this.clients.get(clientId)?.links ?? new Map();
  }

  /** After a frame the renderer may have missed: every instrument of it is sent whole again. */
  resend(clientId: string): void {
    for (const cursor of this.cursors(clientId)) restart(cursor);
  }

  /** Every instrument some renderer focuses: the feed keeps books and tapes for these only. */
  keys(): Set<string> {
    const out = new Set<string>();
    for (const c of this.clients.values()) for (const key of c.cursors.keys()) out.add(key);
    return out;
  }

  private dropUnfollowed(c: ClientFocus): void {
    const followed = new Set(c.links.values());
    for (const key of c.cursors.keys()) if (!followed.has(key)) c.cursors.delete(key);
  }
}

function restart(cursor: FocusCursor): void {
  cursor.tapeSeq = -1;
  cursor.bookVersion = -1;
}
