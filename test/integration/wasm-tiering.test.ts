// The streaming process keeps WebAssembly on V8's baseline compiler (wasm-tiering.ts):
// undici's llhttp, optimized once hot, took ~30 MB of malloc'ed memory for a moment.
// The children below make the same requests through Node's fetch, with and without
// the flag; the one without shows what the flag prevents, so the test proves its own
// premise on this Node.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { keepWasmOnBaselineCompiler, WASM_BASELINE_ONLY_FLAG } from '../../electron/streaming/wasm-tiering';

const REQUESTS = 30;
const CHILD = `
const v8 = require('node:v8');
if (process.argv[1]) v8.setFlagsFromString(process.argv[1]);
const http = require('node:http');
const body = JSON.stringify({ symbols: Array.from({ length: 200 }, (_, i) => ({ symbol: 'S' + i, status: 'TRADING' })) });
const server = http.createServer((req, res) => res.end(body));
server.listen(0, '127.0.0.1', async () => {
  const url = 'http://127.0.0.1:' + server.address().port + '/';
  for (let i = 0; i < ${REQUESTS}; i++) await (await fetch(url)).text();
  // the optimizing compile runs on a background thread, later on a busy machine: wait
  // for it (up to 5 s, the same wait with or without the flag)
  const peak = () => v8.getHeapStatistics().peak_malloced_memory;
  for (let waited = 0; waited < 5000 && peak() < ${15 * 1024 * 1024}; waited += 100) await new Promise((r) => setTimeout(r, 100));
  process.stdout.write(String(peak()));
  server.close();
});
`;

function peakMallocedBytes(flag: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', CHILD, flag], { timeout: 30_000 }, (err, stdout) => (err ? reject(err) : resolve(Number(stdout))));
  });
}

describe('WebAssembly on the baseline compiler', () => {
  it('sets exactly the Liftoff-only flag', () => {
    const set: string[] = [];
    expect(keepWasmOnBaselineCompiler((f) => set.push(f))).toBe(WASM_BASELINE_ONLY_FLAG);
    expect(set).toEqual(['--liftoff-only']);
  });

  it("keeps fetch's HTTP parser from a tier-up that takes tens of MB of malloc'ed memory", async () => {
    const [baseline, optimizing] = await Promise.all([peakMallocedBytes(WASM_BASELINE_ONLY_FLAG), peakMallocedBytes('')]);
    const MB = 1024 * 1024;
    expect(optimizing, 'without the flag the tier-up should show (the premise)').toBeGreaterThan(15 * MB);
    expect(baseline).toBeLessThan(8 * MB);
  }, 40_000);
});
