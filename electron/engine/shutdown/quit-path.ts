// The way out, built before anything it will stop: the component host the engine
// fills, the coordinator that stops it, and the quit policy that decides every
// quit. The policy asks the coordinator to shut down and the coordinator ends the
// app through the policy's exit (once, from a later tick); they are made together
// here, so no host can hand one of them to the other before it exists.
import { ComponentHost } from '../lifecycle/component-host';
import { Owner } from '../../../shared/lifecycle/owner';
import type { Scheduler } from '../lifecycle/scheduler';
import { ShutdownCoordinator, type ShutdownLogger } from './coordinator';
import { QuitPolicy } from './quit-policy';

export interface QuitPathOptions {
  logger: ShutdownLogger;
  /** settings.shutdown.deadlineMs */
  deadlineMs: number;
  /** Ends the process once the drain is over (process.exit, Electron's app.exit). */
  exitApp: (code: number) => void;
  /** Runs `fn` on a later tick, so the exit leaves the event that finished the drain. */
  defer: (fn: () => void) => void;
  scheduler?: Scheduler;
}

export interface QuitPath {
  /** Where the engine registers its components: the ones the coordinator stops. */
  readonly components: ComponentHost;
  readonly coordinator: ShutdownCoordinator;
  /**
   * The one root of everything the engine starts hangs under `tasks` (components,
   * supervisor, diagnostics, the engine's own handlers); the coordinator closes it at
   * the end and reports what was left in the shutdown report. Its own timers sit in
   * the root's `shutdown` child.
   */
  readonly tasks: Owner;
  /** Every quit trigger of the host goes here (signals, before-quit, renderer Quit...). */
  readonly policy: QuitPolicy;
}

export function createQuitPath(options: QuitPathOptions): QuitPath {
  const root = new Owner('engine');
  const tasks = root.child('tasks');
  const components = new ComponentHost({ parent: tasks });
  const exitVia: { policy?: QuitPolicy } = {};
  const coordinator = new ShutdownCoordinator({
    components,
    logger: options.logger,
    // Called only once a requested drain is over, never while this function runs.
    exit: (code) => exitVia.policy!.exit(code),
    deadlineMs: options.deadlineMs,
    parent: root,
    closeTasks: (withinMs) => tasks.close(withinMs),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
  });
  const policy = (exitVia.policy = new QuitPolicy({ shutdown: coordinator, exitApp: options.exitApp, defer: options.defer }));
  return { components, coordinator, tasks, policy };
}
