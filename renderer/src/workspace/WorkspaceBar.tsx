// Named workspaces (switch, new, rename, reset to the default, delete) and "add
// panel". Names are typed inline: Electron has no window.prompt.
import { useState } from 'react';
import { PANEL_KINDS, type PanelKind } from '../../../shared/workspace';
import { useApp, useRuntime } from '../ui/runtime-context';
import { panelTitle } from './default-arrangement';
import { activeWorkspace, canAdd, createWorkspace, deleteWorkspace, renameWorkspace, resetWorkspace, switchWorkspace, type Edit } from './workspace-model';
import type { Workspaces } from '../../../shared/workspace';

export function WorkspaceBar({ onAdd }: { onAdd: (kind: PanelKind) => void }) {
  const { app } = useRuntime();
  const workspaces = useApp((s) => s.workspaces);
  const [name, setName] = useState('');
  if (!workspaces) return null;
  const ws = activeWorkspace(workspaces);
  const apply = (edit: Edit<Workspaces>, clear = false) => {
    const s = app.getState();
    if (!edit.ok) return s.pushNotice('info', edit.message);
    s.setWorkspaces(edit.value);
    if (clear) setName('');
  };
  return (
    <div className="workspace-bar" data-testid="workspace-bar">
      <label>
        Workspace{' '}
        <select data-testid="workspace-select" value={workspaces.active} onChange={(e) => apply(switchWorkspace(workspaces, e.target.value))}>
          {workspaces.list.map((w) => (
            <option key={w.name} value={w.name}>
              {w.name}
            </option>
          ))}
        </select>
      </label>
      <input data-testid="workspace-name" placeholder="name" maxLength={40} value={name} onChange={(e) => setName(e.target.value)} aria-label="workspace name" />
      <button type="button" data-testid="workspace-new" onClick={() => apply(createWorkspace(workspaces, name), true)}>
        New
      </button>
      <button type="button" data-testid="workspace-rename" onClick={() => apply(renameWorkspace(workspaces, workspaces.active, name), true)}>
        Rename
      </button>
      <button type="button" data-testid="workspace-reset" title="Back to the default panels and arrangement" onClick={() => apply({ ok: true, value: resetWorkspace(workspaces) })}>
        Reset
      </button>
      <button type="button" data-testid="workspace-delete" onClick={() => apply(deleteWorkspace(workspaces, workspaces.active))}>
        Delete
      </button>
      <select
        data-testid="add-panel"
        aria-label="add panel"
        value=""
        onChange={(e) => {
          if (e.target.value) onAdd(e.target.value as PanelKind);
        }}
      >
        <option value="">Add panel…</option>
        {PANEL_KINDS.map((k) => (
          <option key={k} value={k} disabled={!canAdd(ws, k).ok}>
            {panelTitle(`${k}-1`, k)}
          </option>
        ))}
      </select>
    </div>
  );
}
