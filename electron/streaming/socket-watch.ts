// The session's view of its sockets, through the hooks the instrumented exchange calls:
// each open socket is registered with the running machinery's owner (so deactivating
// closes it) and with the turn budget (so its reads pause when a turn runs long);
// opening, closing, malformed frames and the exchange's shutdown notices are reported;
// its confirmations of SUBSCRIBE requests go to the session.
import { errorMessage } from '../../shared/error-message';
import type { Owner, Registration } from '../../shared/lifecycle/owner';
import type { DisconnectReason } from '../../shared/market';
import { rawSocketOf, type SocketHooks, type StreamExchange, type WsClientLike } from './instrumented-exchange';
import type { SessionReport } from './session-report';
import type { TurnYield } from './turn-yield';

export interface SocketWatchHost {
  /** Owner of the running machinery; undefined while idle. */
  active(): Owner | undefined;
  /** The session's current connection. */
  exchange(): StreamExchange | undefined;
  closing(): boolean;
  rotate(reason: DisconnectReason): void;
  /** A frame arrived (counted for the message rate). */
  message(): void;
  /** The exchange confirmed a SUBSCRIBE on this socket of the current connection. */
  subscribed(client: WsClientLike, streams: readonly string[]): void;
}

const noop = () => undefined;

export class SocketWatch {
  private readonly sockets = new Map<WsClientLike, Registration>();

  constructor(
    private readonly host: SocketWatchHost,
    private readonly turns: Pick<TurnYield, 'frame' | 'track' | 'untrack'>,
    private readonly report: SessionReport,
  ) {}

  /** Sockets open now. */
  get size(): number {
    return this.sockets.size;
  }

  /** Forgets every socket (the session closed its connection and its owner). */
  releaseAll(): void {
    for (const [client, reg] of this.sockets) {
      reg.release();
      const raw = rawSocketOf(client);
      if (raw) this.turns.untrack(raw);
    }
    this.sockets.clear();
  }

  readonly hooks: SocketHooks = {
    message: () => {
      this.host.message();
      this.turns.frame();
    },
    malformed: (_ex, client, error) => {
      this.report.countClass('malformed', error.message);
      this.report.record('debug', 'ws', 'malformed frame ignored', { url: client.url, error: error.message });
    },
    serverNotice: (ex) => {
      if (ex !== this.host.exchange()) return;
      this.report.record('warn', 'connection', 'server announced shutdown; rotating');
      this.host.rotate('server-notice');
    },
    connected: (_ex, client) => {
      const active = this.host.active();
      if (!active || active.isDisposed) return;
      const raw = rawSocketOf(client);
      if (raw) this.turns.track(raw);
      const reg = active.add('socket', () => {
        if (raw) this.turns.untrack(raw);
        void client.close()?.catch(noop);
      });
      this.sockets.set(client, reg);
      this.report.event('CONNECTED', undefined, { url: client.url });
    },
    closed: (_ex, client, code) => {
      const reg = this.sockets.get(client);
      if (!reg) return;
      reg.release();
      this.sockets.delete(client);
      const raw = rawSocketOf(client);
      if (raw) this.turns.untrack(raw);
      this.report.event('DISCONNECTED', undefined, { url: client.url, code, message: client.error ? errorMessage(client.error) : undefined });
      this.report.changed();
    },
    subscribed: (ex, client, streams) => {
      if (ex === this.host.exchange()) this.host.subscribed(client, streams);
    },
    log: (level, message) => this.report.record(level, 'ccxt', message),
    dropping: () => this.host.closing(),
  };
}
