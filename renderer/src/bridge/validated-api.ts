// Wraps whatever the host gave us so that every message reaching the app has been
// checked against ToRendererSchema. Invalid ones are dropped and reported back to
// main as 'log' messages (rate-limited, so a broken host cannot flood itself).
// An invalid 'frame' is also nacked, every time: main holds the next frame until
// this one is answered, so dropping it without a word would stall the stream.
import type { FoxtrotApi, ToRenderer } from '../../../shared/contract/renderer-api';
import { MAX_NACK_REASON_CHARS, ToRendererSchema } from '../../../shared/contract/renderer-api';
import type { UntrustedApi } from './link';

const MAX_LOG_CHARS = 4000;

export interface ValidationOptions {
  /** Monotonic ms clock for the log rate limit. */
  clock(): number;
  /** At most this many invalid-message logs per window. */
  maxLogs?: number;
  windowMs?: number;
}

export function validatedApi(raw: UntrustedApi, options: ValidationOptions): FoxtrotApi {
  const listeners = new Set<(message: ToRenderer) => void>();
  const maxLogs = options.maxLogs ?? 10;
  const windowMs = options.windowMs ?? 10_000;
  let windowStart = -Infinity;
  let logsInWindow = 0;
  let suppressed = 0;
  let unsubscribeRaw: (() => void) | null = null;

  const reportInvalid = (detail: string, message: unknown) => {
    const t = options.clock();
    if (t - windowStart >= windowMs) {
      windowStart = t;
      logsInWindow = 0;
    }
    if (logsInWindow >= maxLogs) {
      suppressed++;
      return;
    }
    logsInWindow++;
    const note = suppressed > 0 ? ` (${suppressed} more suppressed earlier)` : '';
    suppressed = 0;
    const text = `renderer dropped an invalid message${note}: ${detail}; message: ${preview(message)}`;
    raw.send({ type: 'log', level: 'warn', message: text.slice(0, MAX_LOG_CHARS) });
  };

  const onRaw = (message: unknown) => {
    const parsed = ToRendererSchema.safeParse(message);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
      const seq = frameSeqOf(message);
      if (seq !== undefined) raw.send({ type: 'frame-nack', seq, reason: `invalid frame: ${detail}`.slice(0, MAX_NACK_REASON_CHARS) });
      reportInvalid(detail, message);
      return;
    }
    for (const listener of listeners) listener(parsed.data);
  };

  return {
    host: raw.host === 'headless' ? 'headless' : 'electron',
    onMessage(listener) {
      listeners.add(listener);
      // One subscription to the host, fanned out, so each message is validated once.
      unsubscribeRaw ??= raw.onMessage(onRaw);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && unsubscribeRaw) {
          unsubscribeRaw();
          unsubscribeRaw = null;
        }
      };
    },
    send(message) {
      raw.send(message);
    },
  };
}

function preview(message: unknown): string {
  let text: string;
  try {
    text = typeof message === 'string' ? message : (JSON.stringify(message) ?? String(message));
  } catch {
    text = String(message);
  }
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/** The seq of something that claims to be a frame, if it has a usable one. */
function frameSeqOf(message: unknown): number | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as { type?: unknown; seq?: unknown };
  return m.type === 'frame' && Number.isInteger(m.seq) ? (m.seq as number) : undefined;
}
