// The log file as both hosts configure it, driven through the real electron-log/node
// file transport in a temp dir: generations, permissions, one line per record.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import electronLog from 'electron-log/node';
import { configureLogFile, LOG_FILE_LIMITS } from '../../electron/engine/log/log-file';
import { loggerFromElectronLog } from '../../electron/engine/log/logger';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

let instances = 0;
/** A fresh electron-log instance writing to <tmp>/logs/main.log. */
function setup(limits = { maxBytes: 20_000, generations: 3 }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'foxtrot-log-'));
  dirs.push(dataDir);
  const log = electronLog.create({ logId: `log-file-test-${++instances}` });
  log.transports.console.level = false;
  const path = configureLogFile(log, dataDir, limits);
  return { dataDir, path, logs: join(dataDir, 'logs'), logger: loggerFromElectronLog(log, 'test') };
}

const unix = process.platform !== 'win32';

describe('configureLogFile', () => {
  it('defaults to 10 MB × 5 generations', () => {
    expect(LOG_FILE_LIMITS).toEqual({ maxBytes: 10 * 1024 * 1024, generations: 5 });
  });

  it('rotates main.log → main.1.log … main.N.log, keeping N generations and dropping the oldest', () => {
    const { path, logs, logger } = setup();
    for (let i = 0; i < 2_000; i++) logger.info(`record ${String(i).padStart(5, '0')} ${'x'.repeat(80)}`);
    expect(readdirSync(logs).sort()).toEqual(['main.1.log', 'main.2.log', 'main.3.log', 'main.log']);
    const first = (f: string) => Number(/record (\d+)/.exec(readFileSync(join(logs, f), 'utf8'))![1]);
    // Newest in main.log, then main.1 … main.3, each older than the one before.
    expect(first('main.log')).toBeGreaterThan(first('main.1.log'));
    expect(first('main.1.log')).toBeGreaterThan(first('main.2.log'));
    expect(first('main.2.log')).toBeGreaterThan(first('main.3.log'));
    expect(first('main.3.log')).toBeGreaterThan(0); // the oldest generation was dropped
    expect(readFileSync(path, 'utf8')).toContain('record 01999');
    for (const f of readdirSync(logs)) expect(statSync(join(logs, f)).size).toBeLessThan(20_000 + 200);
  });

  it.skipIf(!unix)('creates every generation 0600 and tightens files left 0644 by older versions', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'foxtrot-log-'));
    dirs.push(dataDir);
    mkdirSync(join(dataDir, 'logs'));
    writeFileSync(join(dataDir, 'logs', 'main.log'), 'old\n', { mode: 0o644 });
    writeFileSync(join(dataDir, 'logs', 'main.2.log'), 'older\n', { mode: 0o644 });
    chmodSync(join(dataDir, 'logs', 'main.log'), 0o644);
    const log = electronLog.create({ logId: `log-file-test-${++instances}` });
    log.transports.console.level = false;
    configureLogFile(log, dataDir, { maxBytes: 5_000, generations: 3 });
    expect(statSync(join(dataDir, 'logs', 'main.log')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'logs', 'main.2.log')).mode & 0o777).toBe(0o600);

    const fresh = setup({ maxBytes: 5_000, generations: 3 });
    for (let i = 0; i < 200; i++) fresh.logger.info(`record ${i} ${'y'.repeat(80)}`);
    const files = readdirSync(fresh.logs);
    expect(files.length).toBe(4);
    for (const f of files) expect(statSync(join(fresh.logs, f)).mode & 0o777).toBe(0o600);
  });

  it('writes one line per record, whatever the record contains', () => {
    const { path, logger } = setup();
    logger.warn('hello\n[2026-01-01 00:00:00.000] [error] forged');
    logger.write('info', 'renderer:c1\n[x]', 'a %s b %o c', { url: 'wss://u:pw@h/?secret=s' });
    logger.info('z'.repeat(5 * 1024 * 1024));
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\[\d{4}-\d\d-\d\d [\d:.]+\] \[warn\] +\(test\) hello\\n\[2026-01-01 00:00:00\.000\] \[error\] forged$/);
    expect(lines[1]).toMatch(/\(renderer:c1\\n\[x\]\) a %s b %o c \{"url":"wss:\/\/\*\*\*@h\/\?secret=\*\*\*"\}$/);
    expect(lines[2]!.length).toBeLessThan(8 * 1024 + 100);
    expect(lines[2]).toMatch(/… \[5234688 more chars cut\]$/);
    expect(statSync(path).size).toBeLessThan(10_000);
  });

  it('keeps the newest part of main.log when it cannot rotate', () => {
    const { path, logs, logger } = setup({ maxBytes: 5_000, generations: 2 });
    // A directory where the oldest generation goes: removing it fails, so rotation fails.
    mkdirSync(join(logs, 'main.2.log'));
    writeFileSync(join(logs, 'main.2.log', 'keep'), '');
    for (let i = 0; i < 200; i++) logger.info(`record ${String(i).padStart(4, '0')} ${'z'.repeat(80)}`);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('[log cropped: could not rotate]');
    expect(text).toContain('record 0199');
    expect(statSync(path).size).toBeLessThan(5_000 + 2_000);
    expect(existsSync(join(logs, 'main.1.log'))).toBe(false);
  });
});
