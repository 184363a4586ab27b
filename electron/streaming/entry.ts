// Entry of the streaming process (out/streaming/streaming.cjs). Runs inside an
// Electron utilityProcess or a Node child_process.fork({serialization:'advanced'});
// parent-port.ts hides which. Exits by itself when the parent disappears, on
// {type:'shutdown'} and on SIGTERM, after a bounded clean shutdown.
import { systemScheduler } from '../../shared/lifecycle/timers';
import { connectToParent } from './parent-port';
import { StreamingService } from './streaming-service';
import { exchangeLoader } from './exchange-loader';
import { parseMarketCacheDir, parsePreload } from '../../shared/streaming-preload';
import { StartupTimeline } from './startup-timeline';
import { now } from '../../shared/clock';
import { keepWasmOnBaselineCompiler } from './wasm-tiering';

// Everything imported above is loaded and evaluated: the first phase of start-up.
const startup = new StartupTimeline(now, performance.timeOrigin);
startup.mark('loaded');

const SIGNAL_DEADLINE_MS = 3000;
const v8Flags = keepWasmOnBaselineCompiler();

const port = connectToParent();
let exiting = false;

const marketCacheDir = parseMarketCacheDir(process.argv);
const service = new StreamingService({
  port,
  startup,
  v8Flags,
  ...(marketCacheDir !== undefined ? { marketCacheDir } : {}),
  exit(code) {
    if (exiting) return;
    exiting = true;
    process.exitCode = code;
    // Let the IPC queue drain (the report was just posted), then leave for sure. The
    // owners are all closed by now: this last timer ends the process itself.
    systemScheduler.setTimeout(() => {
      port.close();
      process.exit(code);
    }, 50);
  },
});

// Ctrl+C in a terminal reaches the whole process group. The parent coordinates the
// shutdown (and sends 'shutdown'); if the parent is gone, the parent watch exits.
process.on('SIGINT', () => undefined);
// A crash must never leave an unreported half-dead streamer: log, shut down, exit non-zero.
process.on('uncaughtException', (e) => {
  port.post({ type: 'log', records: [{ level: 'error', scope: 'streaming', message: 'uncaught exception', fields: { error: String(e?.stack ?? e) }, at: Date.now() }] });
  void service.shutdown(1000).finally(() => process.exit(1));
});
process.on('unhandledRejection', (e) => {
  port.post({ type: 'log', records: [{ level: 'warn', scope: 'streaming', message: 'unhandled rejection', fields: { error: String((e as Error)?.stack ?? e) }, at: Date.now() }] });
});

// Started early by the host (prespawn.ts): load the exchange classes the settings
// use before saying 'ready', while the host is still getting ready, not when the
// first subscribe comes. Until 'ready', the host knows the process is still loading
// and a quit ends it at once instead of waiting for a shutdown it cannot run yet.
for (const id of parsePreload(process.argv)) {
  try {
    exchangeLoader.exchangeClass(id);
  } catch {
    // Not fatal here: the session for this exchange reports the failure when it starts.
  }
}
startup.mark('classes');
// Only now: a SIGTERM while the classes load (synchronously, ~0.2-0.5 s) would wait
// for them to finish before its handler could run. Until here Node's default applies
// and the process ends at once, as a quit during start-up wants: it holds nothing yet.
process.once('SIGTERM', () => void service.shutdown(SIGNAL_DEADLINE_MS));
service.start();
