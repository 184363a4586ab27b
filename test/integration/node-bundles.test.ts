// What the build does to the Node bundles so a process holds less: every bundle is
// ASCII (V8 then keeps its source as one-byte text, half the memory), and futu-api's
// tree lives only in out/streaming/futu-api.cjs, which the other bundles require when
// their Futu code first runs. The global setup has just built them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { asciiSource } from '../../scripts/ascii-source.mjs';

const OUT = resolve(import.meta.dirname, '../../out');

/** What scripts/build.mjs writes (out/test-fixtures holds bundles some tests build for themselves). */
const BUILT = ['electron', 'streaming', 'headless', 'simulator', 'bench'];

function bundles(): string[] {
  return BUILT.flatMap((dir) =>
    readdirSync(join(OUT, dir))
      .filter((f) => f.endsWith('.cjs'))
      .map((f) => join(OUT, dir, f)),
  );
}

describe('asciiSource', () => {
  const source = [
    '// an arrow → and a CJK comment 数据',
    '/** ≥ in a doc comment */',
    'const s = "café → ≥ 😀";',
    'const t = `× ${1 + 1} ±`;',
    'const r = /[→≥]/.test("≥");',
    'const 变量 = 7;',
    '({ s, t, r, len: s.length, v: 变量 })',
  ].join('\n');

  it('leaves nothing outside ASCII', () => {
    expect(asciiSource(source)).not.toMatch(/[\u0080-\uffff]/);
  });

  it('keeps what the code means: strings, templates, regular expressions, identifiers and characters outside the BMP', () => {
    expect(runInNewContext(asciiSource(source))).toEqual(runInNewContext(source));
    expect(runInNewContext(asciiSource(source))).toEqual({ s: 'café → ≥ 😀', t: '× 2 ±', r: true, len: 11, v: 7 });
  });

  it('leaves ASCII text as it is', () => {
    const ascii = 'const a = "plain"; // comment\n';
    expect(asciiSource(ascii)).toBe(ascii);
  });
});

describe('the built Node bundles', () => {
  it('are ASCII, every one of them', () => {
    const files = bundles();
    expect(files.map((f) => f.slice(OUT.length + 1))).toEqual(expect.arrayContaining(['streaming/streaming.cjs', 'streaming/futu-api.cjs', 'electron/main.cjs', 'headless/serve.cjs']));
    for (const f of files) {
      const bytes = readFileSync(f);
      expect(bytes.findIndex((b) => b > 0x7f), f).toBe(-1);
    }
  });

  it("hold futu-api's tree only in futu-api.cjs, which the streaming bundle requires instead", () => {
    const futuTree = /^\/\/ node_modules\/(futu-api|protobufjs|bytebuffer)\//m;
    const futu = readFileSync(join(OUT, 'streaming/futu-api.cjs'), 'utf8');
    const streaming = readFileSync(join(OUT, 'streaming/streaming.cjs'), 'utf8');
    expect(futu).toMatch(futuTree);
    expect(streaming).not.toMatch(futuTree);
    expect(streaming).toContain('require("../streaming/futu-api.cjs")');
  });
});
