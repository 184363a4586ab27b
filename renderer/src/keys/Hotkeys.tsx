// Binds the keymap in effect to the window while mounted, and the actions that go
// to main (diagnostics, quit). Renders nothing.
import { useEffect, useMemo } from 'react';
import { bindActionEffects } from './action-effects';
import { bindKeymap, keymapFor } from './keymap';
import { useApp, useRuntime } from '../ui/runtime-context';

export function Hotkeys() {
  const { app, api, link } = useRuntime();
  const overrides = useApp((s) => s.settings?.ui.keymap);
  const keymap = useMemo(() => keymapFor(overrides), [overrides]);
  useEffect(() => bindKeymap(window, keymap, (action) => app.getState().dispatchAction(action)), [app, keymap]);
  useEffect(() => bindActionEffects({ app, api, link }), [app, api, link]);
  return null;
}
