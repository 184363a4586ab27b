// What a make-before-break rotation (rotation.ts) asks of the session: a fresh
// connection with the markets set, every subscription not failed warmed on it, the
// switch (the warm-up data handed to the subscriptions still there), and reports.
import { errorMessage } from '../../shared/error-message';
import { watchEach } from './channel-calls';
import type { StreamExchange } from './instrumented-exchange';
import type { RotationHost } from './rotation';
import type { SessionReport } from './session-report';
import type { Subscription } from './subscription';

/** What a rotation's warm-up got for each subscription. */
export type Warmed = Awaited<ReturnType<typeof watchEach<Subscription>>>;

export interface RotationSessionView {
  exchange(): StreamExchange | undefined;
  subscriptions(): Iterable<Subscription>;
  has(sub: Subscription): boolean;
  create(): Promise<StreamExchange>;
  /** Makes `next` the session's connection (loops pick it up on their next call). */
  use(next: StreamExchange): void;
  deliver(sub: Subscription, result: unknown, ex: StreamExchange): void;
  /** Closes a connection, bounded; never throws. */
  close(ex: StreamExchange): Promise<void>;
  readonly report: SessionReport;
}

export function rotationHost(view: RotationSessionView): RotationHost<StreamExchange, Warmed> {
  const { report } = view;
  return {
    current: () => view.exchange(),
    create: () => view.create(),
    warm: (next) => watchEach(next, [...view.subscriptions()].filter((s) => s.state !== 'failed')),
    switchTo: (next, warmed, reason) => {
      // Loops pick up the new instance on their next call; the old one closes after.
      view.use(next);
      for (const { item: sub, result, url } of warmed) {
        if (!view.has(sub)) continue;
        if (url) sub.url = url;
        view.deliver(sub, result, next);
      }
      report.record('info', 'connection', 'rotation complete', { reason, subscriptions: warmed.length });
    },
    close: (ex) => view.close(ex),
    failed: (e) => {
      report.countError(e);
      report.record('warn', 'connection', 'rotation failed; keeping the current connection', { error: errorMessage(e) });
    },
    finished: () => report.changed(),
  };
}
