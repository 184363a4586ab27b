import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../shared/settings';
import { removeStaleTempFiles, writeFileAtomic } from '../../electron/engine/settings/atomic-write';
import { jsonErrorOffset } from '../../electron/engine/settings/json-error-offset';
import { loadSettingsFile, MAX_SETTINGS_FILE_BYTES, readSettingsFile } from '../../electron/engine/settings/settings-file';
import { SettingsStore } from '../../electron/engine/settings/settings-store';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'foxtrot-settings-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const quietLog = { warn: () => undefined, error: () => undefined };
const posix = process.platform !== 'win32';

describe('reading a settings file: size cap and file type', () => {
  it.runIf(posix)('refuses a device before reading from it (--config /dev/zero)', async () => {
    await expect(loadSettingsFile('/dev/zero')).rejects.toThrow('Invalid settings file /dev/zero:\n  - not a regular file (a character device)');
  });

  it('refuses a directory', async () => {
    expect(await readSettingsFile(dir)).toEqual({ kind: 'unreadable', errors: ['not a regular file (a directory)'] });
  });

  it('refuses a file over the cap from its size, and reads one at the cap', async () => {
    const file = join(dir, 'big.json');
    await writeFile(file, '');
    await truncate(file, MAX_SETTINGS_FILE_BYTES + 1); // sparse: costs no disk
    await expect(loadSettingsFile(file)).rejects.toThrow(`  - file too large: at most ${MAX_SETTINGS_FILE_BYTES} bytes (10 MB) (got ${MAX_SETTINGS_FILE_BYTES + 1} bytes)`);

    const text = JSON.stringify({ ui: { devMenu: true } });
    const atCap = join(dir, 'at-cap.json');
    await writeFile(atCap, text);
    expect(await readSettingsFile(atCap, text.length)).toMatchObject({ kind: 'ok', settings: { ui: { devMenu: true } } });
    expect(await readSettingsFile(atCap, text.length - 1)).toEqual({ kind: 'invalid', errors: [`file too large: at most ${text.length - 1} bytes (got ${text.length} bytes)`] });
  });

  it.runIf(process.platform === 'linux')('reads at most cap + 1 bytes from a file whose fstat size is wrong (/proc reports 0)', async () => {
    expect(await readSettingsFile('/proc/self/status', 100)).toEqual({ kind: 'invalid', errors: ['file too large: at most 100 bytes (got more while it was being read)'] });
  });

  it('keeps an oversized settings.json aside and starts on defaults', async () => {
    const file = join(dir, 'settings.json');
    await writeFile(file, '');
    await truncate(file, MAX_SETTINGS_FILE_BYTES + 1);
    const store = new SettingsStore({ dataDir: dir, logger: quietLog, now: () => 0 });
    const r = await store.load();
    expect(r.problem).toMatchObject({ kind: 'invalid', keptAs: join(dir, 'settings.corrupt-1970-01-01T00-00-00-000Z.json') });
    expect(store.get()).toEqual(defaultSettings());
  });
});

describe('JSON syntax errors say line and column', () => {
  it('also where V8 gives no position ("Unexpected token", "Unexpected end")', async () => {
    const file = join(dir, 'c.json');
    await writeFile(file, '{\n  "ui": { "devMenu": tru }\n}');
    await expect(loadSettingsFile(file)).rejects.toThrow(/- not valid JSON: .*\(line 2, column 25\)$/s); // at the space after tru
    await writeFile(file, '{\n  "ui":');
    await expect(loadSettingsFile(file)).rejects.toThrow(/- not valid JSON: Unexpected end of JSON input \(line 2, column 8\)$/);
  });

  it('the scanner finds the offset V8 reports, where V8 reports one', () => {
    const bad = ['{"a":1e}', '{"a":1e+}', '[-01]', '{"a":1,}', '{"a" 1}', '[1,2', '{"a":"x\ny"}', '[1,2]x', '{"a":01}', '{"a":"\\q"}', '{"a":nul}', '{,}', '"abc', '[1,,2]', '{"a":-}', '{"a":1.}', ' ', '{"a":"\\u12G4"}'];
    let compared = 0;
    for (const text of bad) {
      let message = '';
      try {
        JSON.parse(text);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, text).not.toBe('');
      const offset = jsonErrorOffset(text);
      expect(offset, text).toBeTypeOf('number');
      const m = /position (\d+)/.exec(message);
      if (m) {
        expect(offset, `${text}: ${message}`).toBe(Number(m[1]));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(5);
  });

  it('the scanner accepts valid JSON', () => {
    for (const text of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"], "b": {}} ', '0', JSON.stringify(defaultSettings(), null, 2)]) {
      expect(jsonErrorOffset(text), text).toBeUndefined();
    }
  });
});

describe('a symlinked settings file', () => {
  it.runIf(posix)('is written through to its target; the link stays a link', async () => {
    await mkdir(join(dir, 'dotfiles'));
    const target = join(dir, 'dotfiles', 'foxtrot.json');
    const link = join(dir, 'config.json');
    await writeFile(target, JSON.stringify({ ui: { devMenu: true } }));
    await symlink(join('dotfiles', 'foxtrot.json'), link); // relative, like most dotfile managers
    const store = new SettingsStore({ file: link });
    await store.load();
    store.update((s) => ({ ...s, ui: { ...s.ui, showDiagnostics: false } }));
    await store.flush();
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(join('dotfiles', 'foxtrot.json'));
    expect((JSON.parse(await readFile(target, 'utf8')) as Settings).ui).toMatchObject({ devMenu: true, showDiagnostics: false });
    expect(await readdir(join(dir, 'dotfiles'))).toEqual(['foxtrot.json']); // the temp file went next to the target and is gone
    store.dispose();
  });

  it.runIf(posix)('whose target does not exist yet gets the target created', async () => {
    const link = join(dir, 'config.json');
    await symlink(join(dir, 'elsewhere.json'), link);
    await writeFileAtomic(link, '{}\n');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'elsewhere.json'), 'utf8')).toBe('{}\n');
  });
});

describe('temp files left by a kill between create and rename', () => {
  const DEAD_PID = 99_999_999; // above any pid_max

  it('are removed at the next start; a live process’s temp file and other files are kept', async () => {
    const stale = `.settings.json.${DEAD_PID}.0123456789ab.tmp`;
    const ownPid = `.settings.json.${process.pid}.a1b2c3d4e5f6.tmp`; // an earlier process with our pid: we have not saved yet
    const live = `.settings.json.${process.ppid}.ffffffffffff.tmp`; // another instance saving right now
    const other = '.other.json.1.0123456789ab.tmp';
    for (const name of [stale, ownPid, live, other]) await writeFile(join(dir, name), '{"half":');
    const warnings: string[] = [];
    const store = new SettingsStore({ dataDir: dir, logger: { warn: (m) => warnings.push(m), error: () => undefined } });
    await store.load();
    expect((await readdir(dir)).sort()).toEqual([live, other].sort());
    expect(warnings).toEqual(['removed temp files left by an interrupted save']);
  });

  it('asks whether the writing process is alive', async () => {
    await writeFile(join(dir, '.settings.json.12345.0123456789ab.tmp'), '');
    expect(await removeStaleTempFiles(join(dir, 'settings.json'), () => true)).toEqual([]);
    expect(await removeStaleTempFiles(join(dir, 'settings.json'), (pid) => pid !== 12345)).toEqual([join(dir, '.settings.json.12345.0123456789ab.tmp')]);
    expect(await removeStaleTempFiles(join(dir, 'missing-dir', 'settings.json'))).toEqual([]);
  });
});
