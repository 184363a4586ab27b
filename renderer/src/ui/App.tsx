// The screen: toolbar, connection banner, dev menu, the docked workspace (watchlist,
// ladder, tape, charts, diagnostics, timeline: workspace/WorkspaceDock.tsx), status
// bar, toasts and the shutdown modal. With ?perf=1 React commits are counted.
import type { ProfilerOnRenderCallback } from 'react';
import { Profiler, useLayoutEffect } from 'react';
import { ConnectionBanner } from './ConnectionBanner';
import { DevMenu } from './DevMenu';
import { HelpOverlay } from './HelpOverlay';
import { Hotkeys } from '../keys/Hotkeys';
import { Notices } from './Notices';
import { useApp, useRuntime } from './runtime-context';
import { ShutdownModal } from './ShutdownModal';
import { StatusBar } from './StatusBar';
import { FocusedInstrument, SymbolSearch } from './SymbolSearch';
import { Toolbar } from './Toolbar';
import { WorkspaceDock } from '../workspace/WorkspaceDock';

export function App() {
  const { perf } = useRuntime();
  const ready = useApp((s) => s.ready);

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
      <main className="content workspace">
        <WorkspaceDock />
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
