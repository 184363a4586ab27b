// Toasts for 'notice' messages from main (refused requests and the like).
import { useEffect } from 'react';
import type { Notice } from '../state/app-store';
import { useApp } from './runtime-context';

/** Info notices fade on their own; warnings and errors stay until dismissed. */
const INFO_TTL_MS = 8000;

export function Notices() {
  const notices = useApp((s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <div className="toasts" aria-live="polite">
      {notices.map((n) => (
        <Toast key={n.id} notice={n} />
      ))}
    </div>
  );
}

function Toast({ notice }: { notice: Notice }) {
  const dismiss = useApp((s) => s.dismissNotice);
  useEffect(() => {
    if (notice.level !== 'info') return;
    const timer = window.setTimeout(() => dismiss(notice.id), INFO_TTL_MS);
    return () => window.clearTimeout(timer);
  }, [notice, dismiss]);
  return (
    <div className={`toast ${notice.level}`} data-testid="notice" data-level={notice.level} role="status">
      <span>{notice.message}</span>
      <button type="button" aria-label="Dismiss" data-action="dismiss-notice" onClick={() => dismiss(notice.id)}>
        ×
      </button>
    </div>
  );
}
