// The screen: toolbar, connection banner, dev menu, the docked workspace (watchlist,
// ladder, tape, charts, diagnostics, timeline: workspace/WorkspaceDock.tsx), status
// bar, toasts and the shutdown modal.
import { useEffect } from 'react';
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
import { PanelView, WorkspaceDock } from '../workspace/WorkspaceDock';
import { activeWorkspace } from '../workspace/workspace-model';

export function App() {
  const { popout } = useRuntime();
  const ready = useApp((s) => s.ready);

  // End-to-end tests wait for this: the hello has been applied and rendered, and the
  // screen is ready for keys. A passive effect on purpose: children's effects run
  // first, so <Hotkeys> has bound the keymap. (When the hello lands before React
  // mounts, a layout effect said "connected" while the keymap's binding still waited
  // for its task, and Chromium let a key press in first: CI lost a Ctrl+K that way.)
  useEffect(() => {
    document.body.dataset.connected = ready ? 'true' : 'false';
  }, [ready]);

  return popout ? (
    <PopoutScreen panelId={popout} />
  ) : (
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
}

/** A desktop pop-out window: one panel of the active workspace, its connection state and notices. */
function PopoutScreen({ panelId }: { panelId: string }) {
  const kind = useApp((s) => (s.workspaces ? activeWorkspace(s.workspaces).panels[panelId]?.kind : undefined));
  return (
    <div className="app popout">
      <ConnectionBanner />
      <main className="content popout-content">{kind ? <PanelView id={panelId} kind={kind} /> : <p className="muted">Panel {panelId} is not in the active workspace.</p>}</main>
      <Notices />
    </div>
  );
}
