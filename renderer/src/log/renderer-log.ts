// The renderer's logger is electron-log's renderer entry. In Electron its IPC
// transport reaches main, which writes the one log file. A browser on the headless
// host has no electron-log IPC, so there the records travel to the host over
// FoxtrotApi ('log' messages, validated in main) and land in the same file.
import log from 'electron-log/renderer';
import type { FromRenderer } from '../../../shared/contract/renderer-api';
import type { HostLink } from '../bridge/link';

type Level = 'error' | 'warn' | 'info';
const FORWARDED: readonly string[] = ['error', 'warn', 'info'];
const MAX_CHARS = 4000;
/** Records kept while the host link is down (start-up, reconnects); older ones are dropped. */
const MAX_PENDING = 200;

export type RendererLog = typeof log;

export function createRendererLog(link: HostLink): RendererLog {
  const hasElectronLogIpc = typeof (window as { __electronLog?: unknown }).__electronLog === 'object';
  if (!hasElectronLogIpc) {
    log.transports.ipc.level = false;
    const pending: FromRenderer[] = [];
    const deliver = (m: FromRenderer): void => {
      if (link.state().status === 'open') link.api.send(m);
      else if (pending.push(m) > MAX_PENDING) pending.shift();
    };
    link.onStateChange((st) => {
      if (st.status === 'open') for (const m of pending.splice(0)) link.api.send(m);
    });
    const forward = Object.assign(
      (message: { level: string; data: unknown[] }) => {
        if (!FORWARDED.includes(message.level)) return;
        const text = message.data.map((d) => (d instanceof Error ? `${d.message}\n${d.stack ?? ''}` : typeof d === 'string' ? d : safeJson(d))).join(' ');
        deliver({ type: 'log', level: message.level as Level, message: text.slice(0, MAX_CHARS) });
      },
      { level: 'info' as const, transforms: [] },
    );
    log.transports['foxtrot'] = forward;
  }
  // Uncaught errors and unhandled rejections in the page reach the log file too.
  log.errorHandler.startCatching({ showDialog: false });
  return log;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
