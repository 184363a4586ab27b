// Keyboard actions whose target is main, not the renderer's store: they follow the
// store's lastAction like any panel would, and do what the toolbar's buttons do.
import { flushSync } from 'react-dom';
import type { FoxtrotApi } from '../../../shared/contract/renderer-api';
import type { HostLink } from '../bridge/link';
import type { AppStore } from '../state/app-store';

export interface EffectDeps {
  app: AppStore;
  api: Pick<FoxtrotApi, 'send'>;
  link: Pick<HostLink, 'expectHostExit'>;
  /** Renders the quit modal in this very frame (flushSync in the page; direct in tests). */
  now?: (fn: () => void) => void;
}

/** Subscribes to dispatched actions; returns the unsubscribe function. */
export function bindActionEffects(deps: EffectDeps): () => void {
  const { app, api, link } = deps;
  const now = deps.now ?? flushSync;
  return app.subscribe((state, prev) => {
    const a = state.lastAction;
    if (!a || a === prev.lastAction) return;
    switch (a.action) {
      case 'toggle-diagnostics': {
        const next = !state.showDiagnostics;
        state.setShowDiagnostics(next);
        api.send({ type: 'set-ui', showDiagnostics: next });
        return;
      }
      case 'quit':
        if (state.quitRequested) return;
        now(() => state.requestQuit());
        link.expectHostExit();
        api.send({ type: 'quit', force: false });
        return;
      default:
        return;
    }
  });
}
