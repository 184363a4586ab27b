// The streaming process runs with a capped young generation (STREAMING_V8_FLAGS):
// the headless host starts it with those flags, and they keep V8's new space at
// 2 MB where it would otherwise grow to 32 MB and stay committed in an idle process.
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STREAMING_V8_FLAGS } from '../../electron/engine/supervisor/streaming-process';
import { HostTestResources, SERVE, streamingPid } from '../support/headless-host';
import { until } from '../support/until';

const resources = new HostTestResources();
afterEach(() => resources.cleanup());

/** Allocates ~100 MB of short-lived objects (some surviving a while, as ticks in flight do), then reports new space. */
const CHURN = `
const v8 = require('v8');
const keep = [];
for (let i = 0; i < 1e6; i++) { const o = { a: i, b: 'x' + i, c: [i, i + 1] }; if (i % 10 === 0) keep.push(o); if (keep.length > 5000) keep.splice(0, 2500); }
process.send(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
`;

function newSpaceAfterChurn(execArgv: string[], dir: string): Promise<number> {
  const file = join(dir, 'churn.cjs');
  writeFileSync(file, CHURN);
  const child = fork(file, [], { execArgv, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  return new Promise((res, rej) => {
    child.once('message', (m) => res(m as number));
    child.once('exit', (code) => rej(new Error(`exited ${code} before reporting`)));
  });
}

describe('streaming process young generation', () => {
  it('the flags cap V8 new space at 2 MB under allocation churn (16 MB semi-spaces without them)', async () => {
    const dir = resources.tempDir('foxtrot-ygen-');
    expect(await newSpaceAfterChurn([...STREAMING_V8_FLAGS], dir)).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(await newSpaceAfterChurn([], dir)).toBeGreaterThan(8 * 1024 * 1024);
  });

  it('the headless host starts the streaming process with them', async () => {
    const dir = resources.tempDir('foxtrot-ygen-');
    const cfg = join(dir, 'config.json');
    writeFileSync(cfg, JSON.stringify({ exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true }], watchlist: [{ exchange: 'sim', symbol: 'BTC/USDT' }] }));
    const host = resources.run(SERVE, ['--port', '0', '--data-dir', dir, '--config', cfg]);
    const pid = resources.trackPid(await until(() => streamingPid(dir, 'spawned'), 'the streaming process to be spawned', 15_000));
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    for (const flag of STREAMING_V8_FLAGS) expect(argv).toContain(flag);
    host.child.kill('SIGTERM');
    await host.exited;
  });
});
