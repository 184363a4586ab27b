import { describe, expect, it } from 'vitest';
import { UtilityExitReason } from '../../electron/main/utility-exit-reason';

describe('UtilityExitReason', () => {
  it('a clean exit with nothing reported is code only: Electron gives no signal', () => {
    expect(new UtilityExitReason('Foxtrot Streaming').exit(0)).toEqual({ code: 0, signal: null });
  });

  it("passes on app's child-process-gone reason for this service", () => {
    const r = new UtilityExitReason('Foxtrot Streaming');
    r.onChildGone({ type: 'Utility', name: 'Foxtrot Streaming', reason: 'oom', exitCode: 9 });
    expect(r.exit(9)).toEqual({ code: 9, signal: null, reason: 'oom, exit code 9' });
  });

  it('ignores other children: the GPU process, another utility service', () => {
    const r = new UtilityExitReason('Foxtrot Streaming');
    r.onChildGone({ type: 'GPU', name: 'Foxtrot Streaming', reason: 'crashed', exitCode: 139 });
    r.onChildGone({ type: 'Utility', name: 'Network Service', reason: 'crashed', exitCode: 11 });
    expect(r.exit(11)).toEqual({ code: 11, signal: null });
  });

  it('a V8 fatal error is kept with where it happened, beside the gone reason', () => {
    const r = new UtilityExitReason('Foxtrot Streaming');
    r.onError('FatalError', 'v8::ToLocalChecked Empty MaybeLocal');
    r.onError('FatalError', 'a later one');
    r.onChildGone({ type: 'Utility', name: 'Foxtrot Streaming', reason: 'crashed', exitCode: 5 });
    expect(r.exit(5).reason).toBe('crashed, exit code 5; FatalError at v8::ToLocalChecked Empty MaybeLocal');
  });
});
