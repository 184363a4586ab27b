// Top bar: title, the add-symbol form, the diagnostics toggle and Quit.
import { flushSync } from 'react-dom';
import { useApp, useRuntime } from './runtime-context';
import { WatchForm } from './WatchForm';

export function Toolbar() {
  const { api, app, link } = useRuntime();
  const show = useApp((s) => s.showDiagnostics);
  const host = useApp((s) => s.host);

  const toggleDiagnostics = () => {
    const next = !show;
    app.getState().setShowDiagnostics(next);
    api.send({ type: 'set-ui', showDiagnostics: next });
  };

  const quit = () => {
    // The modal must be on screen in this very frame, before main even hears of it.
    flushSync(() => app.getState().requestQuit());
    link.expectHostExit();
    api.send({ type: 'quit', force: false });
  };

  return (
    <header className="toolbar">
      <span className="brand">
        Foxtrot <span className="muted">Terminal</span>
      </span>
      <span className="host-kind" title="Host">
        {host}
      </span>
      <WatchForm />
      <span className="spacer" />
      <button type="button" data-testid="toggle-diagnostics" aria-pressed={show} onClick={toggleDiagnostics}>
        Diagnostics
      </button>
      <button type="button" className="danger" data-testid="quit" onClick={quit}>
        Quit
      </button>
    </header>
  );
}
