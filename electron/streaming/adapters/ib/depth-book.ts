// TWS market depth arrives as rows by position (insert, update or delete the row at
// position n of one side), not as price levels. This keeps both sides as position
// arrays and copies the top rows into the reused BookTop of the tick path.
import type { BookTop } from '../../../../shared/contract/tick-batch';

export const DEPTH_INSERT = 0, DEPTH_UPDATE = 1, DEPTH_DELETE = 2;
/** TWS's side codes: 0 ask, 1 bid. */
export const SIDE_ASK = 0, SIDE_BID = 1;

export class DepthBook {
  private readonly bids: [number, number][] = [];
  private readonly asks: [number, number][] = [];

  constructor(private readonly maxRows: number) {}

  /** Applies one row; false when it does not fit the book (a position past its end). */
  apply(position: number, operation: number, side: number, price: number, size: number): boolean {
    const rows = side === SIDE_BID ? this.bids : this.asks;
    if (position < 0 || position >= this.maxRows) return false;
    switch (operation) {
      case DEPTH_INSERT:
        if (position > rows.length) return false;
        rows.splice(position, 0, [price, size]);
        if (rows.length > this.maxRows) rows.length = this.maxRows;
        return true;
      case DEPTH_UPDATE: {
        const row = rows[position];
        if (!row) {
          if (position !== rows.length) return false;
          rows.push([price, size]);
          return true;
        }
        row[0] = price;
        row[1] = size;
        return true;
      }
      case DEPTH_DELETE:
        if (position >= rows.length) return false;
        rows.splice(position, 1);
        return true;
    }
    return false;
  }

  /** Forgets every row (the subscription was requested again: TWS resends the book). */
  reset(): void {
    this.bids.length = 0;
    this.asks.length = 0;
  }

  /** Copies the top `depth` rows of each side into `top` (no allocation once warm). */
  copyInto(top: BookTop, depth: number): void {
    copyRows(top.bids, this.bids, depth);
    copyRows(top.asks, this.asks, depth);
  }
}

function copyRows(into: [number, number][], from: [number, number][], depth: number): void {
  const n = Math.min(depth, from.length);
  for (let i = 0; i < n; i++) {
    const src = from[i]!;
    const row = into[i];
    if (row) {
      row[0] = src[0];
      row[1] = src[1];
    } else into.push([src[0], src[1]]);
  }
  into.length = n;
}
