// Shown from the moment Quit is clicked (before main answers) or main's first
// 'shutdown' message: the phase, each component's stop progress and any
// escalation, with a "Quit now" that skips to the force phase.
import { formatDuration } from '../format/format';
import { useApp, useRuntime } from './runtime-context';
import { useNow } from './use-now';

export function ShutdownModal() {
  const { api } = useRuntime();
  const progress = useApp((s) => s.shutdown);
  const requested = useApp((s) => s.quitRequested);
  const visible = progress !== null || requested;
  const time = useNow(100, visible && progress?.phase !== 'done');
  if (!visible) return null;

  const phase = progress?.phase ?? 'requested';
  const elapsed = progress ? Math.max(0, time - progress.startedAt) : null;
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="shutdown-title" data-testid="shutdown-modal" data-phase={phase}>
        <h2 id="shutdown-title">Quitting Foxtrot Terminal</h2>
        <p className="phase">
          Phase: <b>{phaseLabel(phase)}</b>
          {progress && (
            <>
              {' '}
              · trigger {progress.trigger} · {elapsed !== null && formatDuration(elapsed)} of {formatDuration(progress.deadlineMs)} allowed
            </>
          )}
        </p>
        {progress ? (
          <ul className="components">
            {progress.components.map((c) => (
              <li key={c.name} data-component={c.name} data-state={c.state}>
                <span className="name">{c.name}</span>
                <span className={`state ${c.state}`}>{c.state}</span>
                <span className="elapsed">{c.elapsedMs !== undefined ? formatDuration(c.elapsedMs) : ''}</span>
                {c.error && <span className="err">{c.error}</span>}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Asking the host to stop…</p>
        )}
        {progress && progress.escalations.length > 0 && (
          <ul className="escalations">
            {progress.escalations.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        )}
        <div className="modal-actions">
          <button
            type="button"
            className="danger"
            data-testid="quit-now"
            disabled={phase === 'done'}
            onClick={() => api.send({ type: 'quit', force: true })}
          >
            Quit now
          </button>
        </div>
      </div>
    </div>
  );
}

function phaseLabel(phase: string): string {
  switch (phase) {
    case 'requested':
      return 'requested';
    case 'signal':
      return 'signalling components';
    case 'graceful':
      return 'stopping gracefully';
    case 'force':
      return 'forcing stop';
    case 'kill':
      return 'killing processes';
    case 'done':
      return 'done';
    default:
      return phase;
  }
}
