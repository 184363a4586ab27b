// The renderer's view of its connection to the host, whichever bridge carries it.
import type { FoxtrotApi } from '../../../shared/contract/renderer-api';

export type LinkState =
  | { status: 'connecting'; attempt: number }
  | { status: 'open' }
  /** The socket dropped; the next attempt starts in retryInMs. */
  | { status: 'retrying'; attempt: number; retryInMs: number }
  /** No more attempts: the host quit (after a shutdown) or retries ran out. */
  | { status: 'closed'; reason: 'quit' | 'gave-up' };

export interface HostLink {
  readonly api: FoxtrotApi;
  state(): LinkState;
  onStateChange(listener: (state: LinkState) => void): () => void;
  /** The host is shutting down: its going away is the expected end, not a fault to retry. */
  expectHostExit(): void;
  /** After giving up: try again now. */
  retry(): void;
}

/** A host API whose messages have not been validated yet (preload object or socket). */
export interface UntrustedApi {
  readonly host: string;
  onMessage(listener: (message: unknown) => void): () => void;
  send: FoxtrotApi['send'];
}
