// The SUBSCRIBE requests a socket sent, by id, until the exchange answers them
// (Binance: {"result":null,"id":N} confirms, {"error":{…},"id":N} refuses). ccxt does not
// pass a confirmation on; with it, a subscription to a quiet market is known to be
// live before its first trade. Bounded: an exchange that never answers cannot make it
// grow (the oldest request is forgotten first).

export const MAX_PENDING_REQUESTS = 256;

export class SubscribeRequests {
  private readonly pending = new Map<string, readonly string[]>();

  /** A message went out on the socket; only SUBSCRIBE requests with an id are kept. */
  sent(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const m = message as { method?: unknown; params?: unknown; id?: unknown };
    if (m.method !== 'SUBSCRIBE' || m.id === undefined || m.id === null || !Array.isArray(m.params)) return;
    if (this.pending.size >= MAX_PENDING_REQUESTS) this.pending.delete(this.pending.keys().next().value!);
    this.pending.set(String(m.id), m.params.filter((p): p is string => typeof p === 'string'));
  }

  /** The answer to request `id` came: the streams it asked for (undefined: not a pending request); forgotten either way. */
  answered(id: unknown): readonly string[] | undefined {
    const key = String(id);
    const streams = this.pending.get(key);
    this.pending.delete(key);
    return streams;
  }

  get size(): number {
    return this.pending.size;
  }
}
