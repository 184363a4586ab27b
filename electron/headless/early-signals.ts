// Quit signals from the first line of the headless host on. Importing this module
// installs the handlers; serve.ts imports it before anything else, so a SIGTERM
// that arrives while the rest of the bundle is still loading, or while settings are
// opened, is not Node's default (exit 143, nothing logged) but is held until the
// host's QuitPolicy exists and then starts the same clean shutdown as any other
// quit. Only a signal before Node has run this module's first line (the process's
// first ~0.1 s, when nothing has started) ends it the OS's way.
import { HeldQuits } from '../engine/shutdown/held-quits';

export const QUIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type QuitSignal = (typeof QUIT_SIGNALS)[number];

const signals = new HeldQuits<QuitSignal>();
// Process-lifetime handlers: they end with the process, so no owner stops them.
for (const signal of QUIT_SIGNALS) process.on(signal, () => signals.deliver(signal));

/** From now on every quit signal goes to `to`; those that arrived earlier are delivered now, in order. */
export function routeQuitSignals(to: (signal: QuitSignal) => void): void {
  signals.route(to);
}
