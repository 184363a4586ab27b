import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addToWatchlist, defaultSettings, SettingsSchema, type Settings } from '../../shared/settings';
import { Owner } from '../../shared/lifecycle/owner';
import { defaultDataDir } from '../../electron/engine/settings/data-dir';
import { writeFileAtomic } from '../../electron/engine/settings/atomic-write';
import { loadSettingsFile, SettingsFileError } from '../../electron/engine/settings/settings-file';
import { SettingsStore, SettingsValidationError } from '../../electron/engine/settings/settings-store';
import { openSettings, SettingsOpenError } from '../../electron/engine/settings/open-settings';
import { SettingsComponent } from '../../electron/engine/settings/settings-component';
import { ComponentHost } from '../../electron/engine/lifecycle/component-host';
import { ShutdownCoordinator } from '../../electron/engine/shutdown/coordinator';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'foxtrot-settings-'));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

const BAD_SYMBOL = { watchlist: [{ exchange: 'sim', symbol: 'btc-usdt' }] };
const quietLog = { warn: () => undefined, error: () => undefined, info: () => undefined };

describe('defaultDataDir (Electron userData)', () => {
  it('Linux: $XDG_CONFIG_HOME or ~/.config', () => {
    expect(defaultDataDir(undefined, { platform: 'linux', env: {}, home: '/home/ann' })).toBe('/home/ann/.config/Foxtrot Terminal');
    expect(defaultDataDir(undefined, { platform: 'linux', env: { XDG_CONFIG_HOME: '/xdg' }, home: '/home/ann' })).toBe('/xdg/Foxtrot Terminal');
    expect(defaultDataDir('Other', { platform: 'freebsd', env: { XDG_CONFIG_HOME: '' }, home: '/home/ann' })).toBe('/home/ann/.config/Other');
  });
  it('macOS: ~/Library/Application Support', () => {
    expect(defaultDataDir(undefined, { platform: 'darwin', env: { XDG_CONFIG_HOME: '/ignored' }, home: '/Users/ann' })).toBe(
      '/Users/ann/Library/Application Support/Foxtrot Terminal',
    );
  });
  it('Windows: %APPDATA%', () => {
    expect(defaultDataDir(undefined, { platform: 'win32', env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, home: 'C:\\Users\\ann' })).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\Foxtrot Terminal',
    );
    expect(defaultDataDir(undefined, { platform: 'win32', env: {}, home: 'C:\\Users\\ann' })).toBe('C:\\Users\\ann\\AppData\\Roaming\\Foxtrot Terminal');
  });
  it('defaults to this machine', () => {
    if (process.platform === 'linux') expect(defaultDataDir()).toMatch(/\/Foxtrot Terminal$/);
  });
});

describe('SettingsStore.load', () => {
  it('uses defaults when there is no file, and creates nothing', async () => {
    const store = new SettingsStore({ dataDir: dir });
    const r = await store.load();
    expect(r).toEqual({ settings: defaultSettings(), source: 'defaults', path: join(dir, 'settings.json') });
    expect(await readdir(dir)).toEqual([]);
  });

  it('reads a valid (partial) file and fills in defaults', async () => {
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ shutdown: { deadlineMs: 5000 } }));
    const store = new SettingsStore({ dataDir: dir });
    const r = await store.load();
    expect(r.source).toBe('file');
    expect(store.get().shutdown.deadlineMs).toBe(5000);
    expect(store.get().watchlist).toEqual(defaultSettings().watchlist);
  });

  it('keeps an invalid-JSON file aside, uses defaults and reports where the error is', async () => {
    const text = '{\n  "shutdown": { "deadlineMs": 5000 },\n}\n';
    await writeFile(join(dir, 'settings.json'), text);
    const warnings: string[] = [];
    const store = new SettingsStore({ dataDir: dir, now: () => Date.UTC(2025, 0, 2, 3, 4, 5, 678), logger: { warn: (m) => warnings.push(m), error: () => undefined } });
    const r = await store.load();
    const keptAs = join(dir, 'settings.corrupt-2025-01-02T03-04-05-678Z.json');
    expect(r.source).toBe('defaults');
    expect(r.settings).toEqual(defaultSettings());
    expect(r.problem?.kind).toBe('invalid');
    expect(r.problem?.keptAs).toBe(keptAs);
    expect(r.problem?.errors).toHaveLength(1);
    expect(r.problem?.errors[0]).toMatch(/^not valid JSON: .*\(line 3, column 1\)$/);
    expect(r.problem?.message).toBe(`Settings file ${join(dir, 'settings.json')} is invalid; using defaults. Your file was kept as ${keptAs}.`);
    expect(await readFile(keptAs, 'utf8')).toBe(text); // the user's text, untouched
    expect(await readdir(dir)).toEqual(['settings.corrupt-2025-01-02T03-04-05-678Z.json']);
    expect(warnings).toEqual([r.problem?.message]);
  });

  it('reports schema errors with their paths', async () => {
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ ...BAD_SYMBOL, shutdown: { deadlineMs: 5 }, colour: 'red' }));
    const store = new SettingsStore({ dataDir: dir, logger: quietLog });
    const r = await store.load();
    expect(r.problem?.errors).toEqual(
      expect.arrayContaining([
        'watchlist[0].symbol: a unified symbol such as "BTC/USDT"',
        expect.stringMatching(/^shutdown\.deadlineMs: /),
        expect.stringMatching(/^\(root\): .*colour/),
      ]),
    );
    expect((await readdir(dir)).filter((f) => f.startsWith('settings.corrupt-'))).toHaveLength(1);
    expect(store.get()).toEqual(defaultSettings());
  });
});

describe('SettingsStore.update and saving', () => {
  it('validates updates and keeps the old settings when invalid', async () => {
    const store = new SettingsStore({ dataDir: dir });
    expect(() => store.update({ ui: { showDiagnostics: false, devMenu: true } })).toThrow(/before load/);
    await store.load();
    const seen: boolean[] = [];
    store.onChange((s) => seen.push(s.ui.devMenu), new Owner('t'));
    expect(() => store.update((s) => ({ ...s, watchlist: [{ exchange: 'nope', symbol: 'BTC/USDT', channels: ['ticker'] }] }))).toThrow(SettingsValidationError);
    expect(() => store.update({ shutdown: { deadlineMs: 1 } })).toThrow('invalid settings: shutdown.deadlineMs:');
    expect(store.get()).toEqual(defaultSettings());
    expect(seen).toEqual([]);
    store.update({ ui: { showDiagnostics: false, devMenu: true } });
    expect(seen).toEqual([true]);
    store.dispose();
  });

  it('debounces saves: one atomic write of the latest settings, no temp file left', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const store = new SettingsStore({ dataDir: join(dir, 'nested'), debounceMs: 500 });
    await store.load();
    for (let i = 0; i < 5; i++) store.update((s) => ({ ...s, window: { ...s.window, width: 1000 + i } }));
    await vi.advanceTimersByTimeAsync(499);
    await expect(readdir(join(dir, 'nested'))).rejects.toThrow(/ENOENT/); // nothing written yet
    await vi.advanceTimersByTimeAsync(1);
    await store.flush(); // waits for the save the timer started
    const saved = JSON.parse(await readFile(join(dir, 'nested', 'settings.json'), 'utf8')) as Settings;
    expect(saved.window.width).toBe(1004);
    expect(await readdir(join(dir, 'nested'))).toEqual(['settings.json']);
  });

  it('survives concurrent updates and flushes: the file always ends as the latest settings', async () => {
    const store = new SettingsStore({ dataDir: dir, debounceMs: 1 });
    await store.load();
    const flushes: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) {
      store.update((s) => ({ ...s, window: { ...s.window, height: 300 + i } }));
      if (i % 3 === 0) flushes.push(store.flush());
      if (i % 7 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(flushes);
    await store.flush();
    const text = await readFile(join(dir, 'settings.json'), 'utf8');
    expect((JSON.parse(text) as Settings).window.height).toBe(339);
    expect(await readdir(dir)).toEqual(['settings.json']);
    // A new store reads back exactly what was saved.
    const again = new SettingsStore({ dataDir: dir });
    expect((await again.load()).settings).toEqual(store.get());
    store.dispose();
  });

  it('commitChecked installs a self-validated edit without the full schema, notifies and saves it', async () => {
    const store = new SettingsStore({ dataDir: dir, debounceMs: 60_000 });
    const edit = addToWatchlist(defaultSettings(), { exchange: 'sim', symbol: 'DOT/USDT' });
    if (!edit.ok) throw new Error(edit.message);
    expect(() => store.commitChecked(edit.settings)).toThrow(/before load/);
    await store.load();
    const seen: number[] = [];
    store.onChange((s, prev) => seen.push(s.watchlist.length - prev.watchlist.length), new Owner('t'));
    const fullSchema = vi.spyOn(SettingsSchema, 'safeParse');
    store.commitChecked(edit.settings);
    expect(fullSchema).not.toHaveBeenCalled();
    fullSchema.mockRestore();
    expect(seen).toEqual([1]);
    await store.flush();
    expect((JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')) as Settings).watchlist.at(-1)).toEqual({ exchange: 'sim', symbol: 'DOT/USDT', channels: ['ticker'] });
    store.dispose();
  });

  it('onChange handlers go away with their owner', async () => {
    const store = new SettingsStore({ dataDir: dir });
    await store.load();
    const owner = new Owner('window');
    const seen: number[] = [];
    store.onChange((s, prev) => seen.push(s.window.width - prev.window.width), owner);
    store.update((s) => ({ ...s, window: { ...s.window, width: s.window.width + 10 } }));
    owner.dispose();
    store.update((s) => ({ ...s, window: { ...s.window, width: s.window.width + 10 } }));
    expect(seen).toEqual([10]);
    await store.flush();
    store.dispose();
  });
});

describe('writeFileAtomic', () => {
  it('retries a rename refused the Windows way (EPERM/EBUSY) and leaves no temp file', async () => {
    const target = join(dir, 'settings.json');
    await writeFile(target, 'old');
    const { rename } = await import('node:fs/promises');
    let calls = 0;
    await writeFileAtomic(target, 'new', {
      retryDelayMs: 1,
      rename: async (from, to) => {
        calls++;
        if (calls <= 2) throw Object.assign(new Error('busy'), { code: calls === 1 ? 'EPERM' : 'EBUSY' });
        await rename(from, to);
      },
    });
    expect(calls).toBe(3);
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('on a failed rename keeps the old file whole and removes the temp file', async () => {
    const target = join(dir, 'settings.json');
    await writeFile(target, 'old');
    const failing = async (): Promise<void> => {
      throw Object.assign(new Error('disk gone'), { code: 'EIO' });
    };
    await expect(writeFileAtomic(target, 'new', { rename: failing })).rejects.toThrow('disk gone');
    expect(await readFile(target, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['settings.json']);
  });
});

describe('--config FILE', () => {
  it('refuses an invalid file, saying what is wrong and where', async () => {
    const file = join(dir, 'my-config.json');
    await writeFile(file, JSON.stringify(BAD_SYMBOL));
    const err = await loadSettingsFile(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SettingsFileError);
    expect((err as Error).message).toBe(`Invalid settings file ${file}:\n  - watchlist[0].symbol: a unified symbol such as "BTC/USDT"`);
    expect(await readFile(file, 'utf8')).toBe(JSON.stringify(BAD_SYMBOL)); // not moved, not replaced
  });

  it('refuses bad JSON with line and column, and a missing file', async () => {
    const file = join(dir, 'c.json');
    await writeFile(file, '{\n  "ui": { "devMenu": true, }\n}');
    await expect(loadSettingsFile(file)).rejects.toThrow(/c\.json:\n {2}- not valid JSON: .*\(line 2, column \d+\)/);
    await expect(loadSettingsFile(join(dir, 'missing.json'))).rejects.toThrow(`Invalid settings file ${join(dir, 'missing.json')}:\n  - file not found`);
  });

  it('openSettings refuses an invalid --config and uses a valid one as the settings file', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify(BAD_SYMBOL));
    await expect(openSettings({ dataDir: dir, configFile: bad, log: quietLog })).rejects.toBeInstanceOf(SettingsOpenError);

    const good = join(dir, 'good.json');
    await writeFile(good, '\uFEFF' + JSON.stringify({ ui: { devMenu: true } })); // BOM from a Windows editor
    const store = await openSettings({ dataDir: dir, configFile: good, log: quietLog });
    expect(store.get().ui.devMenu).toBe(true);
    expect(store.loadResult?.source).toBe('file');
    store.update((s) => ({ ...s, ui: { ...s.ui, showDiagnostics: false } }));
    await store.flush();
    expect(JSON.parse(await readFile(good, 'utf8'))).toMatchObject({ ui: { devMenu: true, showDiagnostics: false } });
    store.dispose();
  });
});

describe('SettingsComponent', () => {
  it('saves unsaved changes when the shutdown stops it, before exit', async () => {
    const store = new SettingsStore({ dataDir: dir, debounceMs: 60_000 });
    await store.load();
    const host = new ComponentHost();
    host.add(new SettingsComponent(store));
    await host.startAll();
    store.update((s) => ({ ...s, window: { ...s.window, maximized: true } }));
    const exitedWith: string[] = [];
    const coordinator = new ShutdownCoordinator({
      components: host,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      exit: (code) => void readFile(join(dir, 'settings.json'), 'utf8').then((t) => exitedWith.push(`${code}:${(JSON.parse(t) as Settings).window.maximized}`)),
    });
    const result = await coordinator.request('window-close');
    expect(result.components).toEqual([expect.objectContaining({ name: 'settings', outcome: 'finished' })]);
    await vi.waitFor(() => expect(exitedWith).toEqual(['0:true']));
    store.dispose();
  });
});
