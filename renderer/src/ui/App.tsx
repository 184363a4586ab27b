// The screen: toolbar, connection banner, dev menu, watchlist, diagnostics,
// status bar, toasts and the shutdown modal. With ?perf=1 React commits are counted.
import type { ProfilerOnRenderCallback } from 'react';
import { Profiler, useLayoutEffect } from 'react';
import { chartInstrument } from '../chart/chart-instrument';
import { ChartPanel } from './ChartPanel';
import { ConnectionBanner } from './ConnectionBanner';
import { DevMenu } from './DevMenu';
import { DiagnosticsPanel } from './DiagnosticsPanel';
import { HelpOverlay } from './HelpOverlay';
import { Hotkeys } from '../keys/Hotkeys';
import { Notices } from './Notices';
import { useApp, useRuntime } from './runtime-context';
import { ShutdownModal } from './ShutdownModal';
import { StatusBar } from './StatusBar';
import { FocusedInstrument, SymbolSearch } from './SymbolSearch';
import { Toolbar } from './Toolbar';
import { Ladder } from './Ladder';
import { Tape } from './Tape';
import { Watchlist } from './Watchlist';

export function App() {
  const { perf } = useRuntime();
  const ready = useApp((s) => s.ready);
  const instrument = useApp(chartInstrument);

  // End-to-end tests wait for this: the hello has been applied and rendered.
  useLayoutEffect(() => {
    document.body.dataset.connected = ready ? 'true' : 'false';
  }, [ready]);

  const screen = (
    <div className="app">
      <Toolbar />
      <ConnectionBanner />
      <DevMenu />
      <FocusedInstrument />
      <main className="content">
        <Watchlist />
        <div className="market-panels">
          <Ladder />
          <Tape />
        </div>
        <ChartPanel instrument={instrument} />
        <DiagnosticsPanel />
      </main>
      <StatusBar />
      <Notices />
      <SymbolSearch />
      <HelpOverlay />
      <Hotkeys />
      <ShutdownModal />
    </div>
  );
  if (!perf) return screen;
  const onRender: ProfilerOnRenderCallback = () => perf.recordCommit();
  return (
    <Profiler id="app" onRender={onRender}>
      {screen}
    </Profiler>
  );
}
