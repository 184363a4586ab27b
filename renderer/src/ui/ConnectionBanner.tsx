// Says plainly when the page has lost its host: reconnecting, given up, or quit.
import { useApp, useRuntime } from './runtime-context';

export function ConnectionBanner() {
  const { link: hostLink } = useRuntime();
  const link = useApp((s) => s.link);
  const everReady = useApp((s) => s.settings !== null);
  const quitting = useApp((s) => s.quitRequested || s.shutdown !== null);

  if (link.status === 'open') return null;
  if (link.status === 'closed' && (link.reason === 'quit' || quitting)) {
    return (
      <div className="host-gone quit" data-testid="host-gone" role="alert">
        <h1>Foxtrot Terminal has quit</h1>
        <p>The host has exited. You can close this page.</p>
      </div>
    );
  }
  if (link.status === 'connecting' && !everReady && link.attempt === 1) {
    return <div className="banner info">Connecting to host…</div>;
  }
  return (
    <div className="banner error" data-testid="host-gone" role="alert">
      <b>Disconnected from host.</b>{' '}
      {link.status === 'retrying' && `Reconnecting in ${(link.retryInMs / 1000).toFixed(1)} s (attempt ${link.attempt})… `}
      {link.status === 'connecting' && `Reconnecting (attempt ${link.attempt})… `}
      {link.status === 'closed' && (
        <>
          Gave up reconnecting.{' '}
          <button type="button" onClick={() => hostLink.retry()}>
            Retry
          </button>
        </>
      )}
      Prices shown are not live.
    </div>
  );
}
