import { describe, expect, it } from 'vitest';
import { HeldQuits } from '../../electron/engine/shutdown/held-quits';

describe('HeldQuits', () => {
  it('holds quits until the policy exists, then hands them over in order, and later ones straight through', () => {
    const quits = new HeldQuits<string>();
    expect(quits.received).toBe(false);
    quits.deliver('SIGTERM');
    quits.deliver('SIGINT');
    expect(quits.received).toBe(true);
    const seen: string[] = [];
    quits.route((q) => seen.push(`policy:${q}`));
    expect(seen).toEqual(['policy:SIGTERM', 'policy:SIGINT']);
    quits.deliver('SIGHUP');
    expect(seen).toEqual(['policy:SIGTERM', 'policy:SIGINT', 'policy:SIGHUP']);
  });

  it('with nothing held, routing hands over nothing and start-up goes on', () => {
    const quits = new HeldQuits<string>();
    const seen: string[] = [];
    quits.route((q) => seen.push(q));
    expect(seen).toEqual([]);
    expect(quits.received).toBe(false);
  });
});
