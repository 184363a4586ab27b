// FoxtrotApi over a WebSocket to the headless host (no preload there). One JSON
// message per ToRenderer / FromRenderer. If the socket drops, the link reports it
// and reconnects with backoff; once the host has announced a shutdown, its going
// away is final. Socket and timers are injected so the logic runs in unit tests.
import type { FromRenderer } from '../../../shared/contract/renderer-api';
import type { HostLink, LinkState, UntrustedApi } from './link';
import { validatedApi } from './validated-api';

/** The part of a WebSocket this bridge uses (connect.ts adapts the browser's). */
export interface SocketLike {
  isOpen(): boolean;
  send(data: string): void;
}

export interface SocketHandlers {
  onOpen(): void;
  onMessage(data: unknown): void;
  /** Fired once, whether the socket failed to connect or dropped later. */
  onClose(): void;
}

export interface HeadlessBridgeOptions {
  url: string;
  openSocket(url: string, handlers: SocketHandlers): SocketLike;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  clock(): number;
  /** Delay before each reconnect attempt; after the last one the link gives up. */
  retryDelaysMs?: readonly number[];
}

export const DEFAULT_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000] as const;

/** URL of the host's API socket for a page served at `location`, token from its query. */
export function headlessSocketUrl(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api?token=${encodeURIComponent(token)}`;
}

export function createHeadlessBridge(options: HeadlessBridgeOptions): HostLink {
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const messageListeners = new Set<(message: unknown) => void>();
  const stateListeners = new Set<(state: LinkState) => void>();
  let socket: SocketLike | null = null;
  let timer: unknown = null;
  let failures = 0;
  let hostExiting = false;
  let current: LinkState = { status: 'connecting', attempt: 1 };

  const setState = (next: LinkState) => {
    current = next;
    for (const listener of stateListeners) listener(next);
  };

  const open = () => {
    timer = null;
    const s: SocketLike = options.openSocket(options.url, {
      onOpen() {
        if (socket !== s) return;
        failures = 0;
        setState({ status: 'open' });
      },
      onMessage(data) {
        if (socket !== s) return;
        let message: unknown = data;
        if (typeof data === 'string') {
          try {
            message = JSON.parse(data);
          } catch {
            // Left as the raw string: validation rejects and reports it.
          }
        }
        for (const listener of messageListeners) listener(message);
      },
      onClose() {
        if (socket !== s) return;
        socket = null;
        onLost();
      },
    });
    socket = s;
  };

  const onLost = () => {
    if (hostExiting) {
      setState({ status: 'closed', reason: 'quit' });
      return;
    }
    const delay = delays[failures];
    if (delay === undefined) {
      setState({ status: 'closed', reason: 'gave-up' });
      return;
    }
    failures++;
    setState({ status: 'retrying', attempt: failures, retryInMs: delay });
    timer = options.setTimer(() => {
      setState({ status: 'connecting', attempt: failures + 1 });
      open();
    }, delay);
  };

  const raw: UntrustedApi = {
    host: 'headless',
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    send(message: FromRenderer) {
      // Nothing is queued while disconnected: acks and requests belong to the old session.
      if (socket?.isOpen()) socket.send(JSON.stringify(message));
    },
  };

  open();

  return {
    api: validatedApi(raw, { clock: options.clock }),
    state: () => current,
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    expectHostExit() {
      hostExiting = true;
    },
    retry() {
      if (current.status !== 'closed' || current.reason !== 'gave-up') return;
      if (timer !== null) options.clearTimer(timer);
      failures = 0;
      setState({ status: 'connecting', attempt: 1 });
      open();
    },
  };
}
