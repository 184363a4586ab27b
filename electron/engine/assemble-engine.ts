// The one engine assembly both hosts use (the Electron shell and the headless host):
// the quit path first, then the engine over it, so every quit trigger, the renderer's
// Quit and the coordinator's exit meet one QuitPolicy that exists before anything can
// call it. Hosts bind their own events to the returned policy.
import { Engine, type Host } from './engine';
import { createQuitPath } from './shutdown/quit-path';
import { nextTurn } from '../../shared/lifecycle/timers';
import type { QuitPolicy } from './shutdown/quit-policy';
import type { Scheduler } from './lifecycle/scheduler';
import type { SettingsSource } from './settings/settings-component';

export interface EngineAssemblyOptions extends Omit<Host, 'startupWarnings' | 'settings'> {
  /** The opened settings; a load problem (file kept aside) becomes a start-up warning. */
  settings: SettingsSource & { readonly loadResult?: { readonly problem?: { readonly message: string } | undefined } | undefined };
  /** Ends the process once the drain is over (process.exit, Electron's app.exit). */
  exitApp: (code: number) => void;
  /** Runs `fn` on a later tick; default nextTurn (both hosts run on Node's loop). */
  defer?: (fn: () => void) => void;
  /** The coordinator's time (tests inject a fake one). */
  scheduler?: Scheduler;
}

export interface AssembledEngine {
  engine: Engine;
  /** The host's one quit path: signals, before-quit, window events and faults go here. */
  quit: QuitPolicy;
}

export function assembleEngine(options: EngineAssemblyOptions): AssembledEngine {
  const { exitApp, defer, scheduler, ...host } = options;
  const quitPath = createQuitPath({
    logger: host.log.scope('engine'),
    deadlineMs: host.settings.get().shutdown.deadlineMs,
    exitApp,
    defer: defer ?? ((fn) => void nextTurn(fn)),
    ...(scheduler ? { scheduler } : {}),
  });
  const problem = host.settings.loadResult?.problem;
  const engine = new Engine({ ...host, startupWarnings: problem ? [problem.message] : [] }, quitPath);
  return { engine, quit: quitPath.policy };
}
