// An engine assembled around settings held in memory and no streaming process, for
// tests that feed it tick batches and renderer messages directly.
import { assembleEngine, type EngineAssemblyOptions } from '../../electron/engine/assemble-engine';
import type { Engine } from '../../electron/engine/engine';
import type { Logger } from '../../electron/engine/log/logger';
import { defaultSettings, type Settings } from '../../shared/settings';

/** `popouts`: the desktop host's pop-out windows, for tests of pop-out requests. */
export function engineWithoutStreaming(
  log: Logger,
  kind: EngineAssemblyOptions['kind'] = 'headless',
  popouts?: EngineAssemblyOptions['popouts'],
): { engine: Engine; settings: () => Settings } {
  let settings: Settings = defaultSettings();
  const { engine } = assembleEngine({
    kind,
    log,
    settings: { get: () => settings, update: (change) => (settings = change(settings)), commitChecked: (next) => (settings = next), flush: async () => undefined },
    spawnStreaming: () => {
      throw new Error('no streaming process in this test: batches are fed directly');
    },
    flushLogs: () => undefined,
    exitApp: () => undefined,
    ...(popouts ? { popouts } : {}),
  });
  return { engine, settings: () => settings };
}
