// The keymap in effect, opened with ? (or the help binding). Escape or ? closes it.
import { useMemo } from 'react';
import { ACTION_LABELS, bindingLabel, isMacPlatform, KEY_ACTIONS, keymapFor } from '../keys/keymap';
import { useApp, useRuntime } from './runtime-context';

export function HelpOverlay() {
  const { app } = useRuntime();
  const open = useApp((s) => s.helpOpen);
  const overrides = useApp((s) => s.settings?.ui.keymap);
  const keymap = useMemo(() => keymapFor(overrides), [overrides]);
  if (!open) return null;
  const mac = isMacPlatform(navigator.platform);
  const close = () => app.getState().setHelpOpen(false);
  return (
    <div className="overlay" onClick={close}>
      <div
        className="overlay-box help"
        role="dialog"
        aria-label="Keyboard shortcuts"
        data-testid="help-overlay"
        tabIndex={-1}
        ref={(el) => el?.focus()}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') close();
        }}
      >
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {KEY_ACTIONS.map((action) => (
              <tr key={action} data-action={action}>
                <td className="txt">{ACTION_LABELS[action]}</td>
                <td className="txt">
                  <kbd>{bindingLabel(keymap[action], mac)}</kbd>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">Change them in settings: ui.keymap (action → binding). Esc closes.</p>
      </div>
    </div>
  );
}
