// Connection timeline: each outage with its cause, how long data was down (or that
// it still is) and which subscriptions came back.
import { formatClock, formatDuration } from '../format/format';
import { parseSubscriptionId } from '../../../shared/market';
import { useApp } from './runtime-context';

export function Timeline() {
  const outages = useApp((s) => s.outages);
  const newestFirst = [...outages].sort((a, b) => b.startedAt - a.startedAt);
  return (
    <section>
      <h2>Connection timeline</h2>
      {newestFirst.length === 0 ? (
        <p className="muted">No outages.</p>
      ) : (
        <ol className="timeline">
          {newestFirst.map((o) => (
            <li key={o.id} data-testid="outage" data-exchange={o.exchange} data-ongoing={o.downMs === undefined}>
              <span className="t">{formatClock(o.startedAt)}</span> <b>{o.exchange}</b>{' '}
              <span className="reason">
                {o.reason}
                {o.code !== undefined && ` ${o.code}`}
              </span>
              {o.message && <span className="muted"> {o.message}</span>}{' '}
              {o.downMs === undefined ? (
                <span className="ongoing">ongoing</span>
              ) : (
                <span>down for {formatDuration(o.downMs)}</span>
              )}
              {o.restored.length > 0 && (
                <span className="muted" title={o.restored.join('\n')}>
                  {' '}
                  · restored {restoredSummary(o.restored)}
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** "BTC/USDT ticker, ETH/USDT ticker" for a few, a count beyond that (full list in the tooltip). */
function restoredSummary(ids: readonly string[]): string {
  if (ids.length > 3) return `${ids.length} subscriptions`;
  return ids
    .map((id) => {
      const key = parseSubscriptionId(id);
      return key ? `${key.symbol} ${key.channel}` : id;
    })
    .join(', ');
}
