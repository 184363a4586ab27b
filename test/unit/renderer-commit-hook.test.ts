import { describe, expect, it } from 'vitest';
import { DEVTOOLS_HOOK, installCommitHook, type CommitHook } from '../../renderer/src/perf/commit-hook';

describe('React commit hook (benchmark commit counter)', () => {
  it('counts every commit React DOM reports through the DevTools hook', () => {
    const target: Record<string, unknown> = {};
    let commits = 0;
    expect(installCommitHook(target, () => commits++)).toBe(true);
    const hook = target[DEVTOOLS_HOOK] as CommitHook;
    // what react-dom-client.production.js does: registers once, then reports each commit
    expect(hook.supportsFiber && !hook.isDisabled).toBe(true);
    const id = hook.inject({ rendererPackageName: 'react-dom' });
    hook.onCommitFiberRoot(id, {}, undefined, false);
    hook.onCommitFiberRoot(id, {}, undefined, false);
    hook.onCommitFiberUnmount(id, {});
    expect(commits).toBe(2);
  });

  it('leaves a hook already there (React DevTools attached) alone', () => {
    const devtools = { supportsFiber: true };
    const target: Record<string, unknown> = { [DEVTOOLS_HOOK]: devtools };
    expect(installCommitHook(target, () => undefined)).toBe(false);
    expect(target[DEVTOOLS_HOOK]).toBe(devtools);
  });
});
