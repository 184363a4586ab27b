// The settings store as a lifecycle component: nothing to start (it is loaded
// before the engine is built, because every other component reads it), and
// stopping saves what is still unsaved, atomically, before the logs are flushed.
import type { CheckedSettings, Settings } from '../../../shared/settings';
import type { Component } from '../lifecycle/component';

/** What the engine needs from settings; SettingsStore provides it. */
export interface SettingsSource {
  get(): Settings;
  update(change: (current: Settings) => Settings): Settings;
  /** Settings from an edit that validated only what it changed (watchlist add/remove). */
  commitChecked(next: CheckedSettings): Settings;
  flush(): Promise<void>;
}

/**
 * How long the save at quit may take (the shutdown deadline caps it). Not the default
 * share of the deadline: the save is what a quit must not lose, and its atomic write
 * (two fsyncs) took over 370 ms, the default share, on a busy machine, which forced the
 * component and made the quit unclean.
 */
export const SETTINGS_STOP_BUDGET_MS = 2000;

export class SettingsComponent implements Component {
  readonly name = 'settings';
  readonly stopBudgetMs = SETTINGS_STOP_BUDGET_MS;

  constructor(
    private readonly source: SettingsSource,
    readonly dependsOn: readonly string[] = [],
  ) {}

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    await this.source.flush();
  }
}
