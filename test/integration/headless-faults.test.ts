// The host-level fault policy in a real headless terminal: a flood of unhandled
// rejections is survived and logged once (plus counts); an uncaught exception runs
// the coordinated shutdown, so a watch whose save was still debounced reaches the
// settings file, and the exit code is 1. Without the policy, Node would die on the
// first rejection with the watch unsaved and nothing in the log.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectRenderer, HostTestResources, printedUrl, watchApplied } from '../support/headless-host';
import { until } from '../support/until';

const ROOT = resolve(__dirname, '../..');
const FIXTURE = join(ROOT, 'out/test-fixtures/faulting-host.cjs');
const host = new HostTestResources();

beforeAll(async () => {
  // Bundled next to out/headless so the terminal finds out/renderer and out/streaming.
  await build({
    entryPoints: [join(__dirname, 'fixtures/faulting-host.ts')],
    outfile: FIXTURE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
});

afterEach(() => host.cleanup());

describe('headless host fault policy', () => {
  it('survives a flood of rejections (logged once), and on an uncaught exception drains, saves the pending watch and exits 1', async () => {
    const { dir, cfg } = host.simDataDir('foxtrot-faults-');
    const { child, output, exited } = host.run(FIXTURE, [dir, cfg], 'pipe');
    const url = await printedUrl(output);
    await watchApplied(await connectRenderer(url), 'ETH/USDT');

    child.stdin!.write('reject 1500\n');
    await until(() => output().includes('rejected'), 'the rejections');
    expect(child.exitCode).toBeNull(); // carried on
    const log = (): string => readFileSync(join(dir, 'logs', 'main.log'), 'utf8');
    expect(log().match(/unhandled rejection \(host carries on\)/g)).toHaveLength(1);
    expect(log().match(/uncaught fault repeated/g)).toHaveLength(3); // 10, 100, 1000

    // The watch's save is still debounced: only the coordinated shutdown can write it now.
    child.stdin!.write('throw\n');
    expect(await exited).toBe(1);
    const saved = JSON.parse(readFileSync(cfg, 'utf8')) as { watchlist: { symbol: string }[] };
    expect(saved.watchlist.map((w) => w.symbol)).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(log()).toMatch(/uncaught exception: shutting down .*injected fault/);
    expect(log()).toMatch(/shutdown report .*"trigger":"uncaught-exception"/);
    expect(log()).toMatch(/uncaught faults at exit .*"count":1500/);
  }, 30_000);
});
