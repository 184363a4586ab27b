// The lint rule behind "one way to own a timer": raw timer globals are refused in
// the processes' code, except in the one timers module; tests may use them.
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: join(__dirname, '../..') });
const CODE = 'export const cancel = setTimeout(() => undefined, 1);\nglobalThis.setImmediate(() => undefined);\n';

async function rules(filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(CODE, { filePath: join(__dirname, '../..', filePath) });
  return result!.messages.map((m) => m.ruleId ?? 'fatal');
}

describe('no raw timers outside shared/lifecycle/timers.ts', () => {
  it('refuses them in the engine, the streaming process, the hosts and shared/', async () => {
    for (const file of ['electron/engine/x.ts', 'electron/streaming/x.ts', 'electron/main/x.ts', 'electron/headless/x.ts', 'shared/x.ts']) {
      expect(await rules(file), file).toEqual(['no-restricted-globals', 'no-restricted-properties']);
    }
  });

  it('allows them in the timers module itself and in tests', async () => {
    expect(await rules('shared/lifecycle/timers.ts')).toEqual([]);
    expect(await rules('test/unit/x.test.ts')).toEqual([]);
  });
});
