// Binds the keymap in effect to the window while mounted, and the actions that go
// to main (diagnostics, quit). Renders nothing.
import { useEffect, useMemo } from 'react';
import { tinykeys } from 'tinykeys';
import { bindActionEffects } from './action-effects';
import { ignoreKeyEvent, KEY_ACTIONS, keymapFor, type KeyAction } from './keymap';
import { useApp, useRuntime } from '../ui/runtime-context';

/** Binds every action on target; returns the unbind function (the effect's cleanup owns it). */
function bindKeymap(target: Window, keymap: Record<KeyAction, string>, dispatch: (action: KeyAction) => void): () => void {
  const handlers: Record<string, (e: KeyboardEvent) => void> = {};
  for (const action of KEY_ACTIONS) {
    handlers[keymap[action]] = (e) => {
      e.preventDefault();
      dispatch(action);
    };
  }
  return tinykeys(target, handlers, { ignore: ignoreKeyEvent });
}

export function Hotkeys() {
  const { app, api, link } = useRuntime();
  const overrides = useApp((s) => s.settings?.ui.keymap);
  const keymap = useMemo(() => keymapFor(overrides), [overrides]);
  useEffect(() => bindKeymap(window, keymap, (action) => app.getState().dispatchAction(action)), [app, keymap]);
  useEffect(() => bindActionEffects({ app, api, link }), [app, api, link]);
  return null;
}
