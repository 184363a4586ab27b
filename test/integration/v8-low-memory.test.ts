// The real collection IdleMemoryTrim asks for, in a Node process run with the streaming
// process's own V8 options: it shrinks a grown young generation, gives the memory
// back to the system, and leaves nothing behind that keeps the process alive.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { STREAMING_EXEC_ARGV } from '../../electron/engine/supervisor/streaming-process';

const dir = mkdtempSync(join(tmpdir(), 'foxtrot-lowmem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPT = `
import { readFileSync } from 'node:fs';
import { collectForLowMemory, youngGenerationBytes } from '${join(process.cwd(), 'electron/streaming/v8-low-memory.ts').replace(/\\/g, '/')}';
const rssAnon = () => Number(/RssAnon:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;
// allocate with some survival, as ccxt's caches do, until V8 has grown the young generation
let keep = [];
for (let i = 0; i < 4e6; i++) { const o = { a: i, b: 'x' + i }; if (i % 3 === 0) keep.push(o); if (keep.length > 50000) keep = []; }
keep = [];
const before = { young: youngGenerationBytes(), rss: rssAnon() };
collectForLowMemory().done.then(() => {
  process.stdout.write(JSON.stringify({ before, after: { young: youngGenerationBytes(), rss: rssAnon() } }));
});
`;

describe('collectForLowMemory (Node, the streaming process\'s V8 options)', () => {
  it('shrinks the grown young generation, returns its memory, and the process still exits by itself', async () => {
    const entry = join(dir, 'probe.ts');
    writeFileSync(entry, SCRIPT);
    const out = join(dir, 'probe.mjs');
    buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'silent' });
    const child = spawn(process.execPath, [...STREAMING_EXEC_ARGV, out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // no timer or handle is left: the process ends on its own once the collection is done
    const code = await new Promise<number | null>((resolve) => {
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('exit', (c) => {
        clearTimeout(killer);
        resolve(c);
      });
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as { before: { young: number; rss: number }; after: { young: number; rss: number } };
    const MB = 1024 * 1024;
    expect(r.before.young).toBeGreaterThanOrEqual(16 * MB);
    expect(r.after.young).toBeLessThanOrEqual(2 * MB);
    expect(r.before.rss - r.after.rss).toBeGreaterThan(8 * MB);
  });
});
