import { describe, expect, it } from 'vitest';
import { StartupTimeline } from '../../electron/streaming/startup-timeline';

describe('StartupTimeline', () => {
  it('reports ms from the process start to the first time each phase happened, once, after the first batch', () => {
    let t = 1000;
    const s = new StartupTimeline(() => t, 900);
    t = 1180;
    s.mark('loaded');
    t = 1420;
    s.mark('classes');
    s.mark('ready');
    expect(s.report()).toBeUndefined(); // no batch yet: start-up is not over
    t = 1500.4;
    s.mark('configure');
    t = 1510;
    s.mark('subscribe');
    t = 1600;
    s.mark('configure'); // a later configure is not start-up
    s.mark('subscribe');
    t = 2100;
    s.mark('firstBatch');
    t = 2200;
    s.mark('firstBatch');
    expect(s.report()).toEqual({ loaded: 280, classes: 520, ready: 520, configure: 600, subscribe: 610, firstBatch: 1200 });
    expect(s.report()).toBeUndefined(); // logged once
  });

  it('leaves out phases that did not happen (no preload, no entry: a service in a test)', () => {
    let t = 0;
    const s = new StartupTimeline(() => t, 0);
    t = 5;
    s.mark('ready');
    t = 9;
    s.mark('firstBatch');
    expect(s.report()).toEqual({ ready: 5, firstBatch: 9 });
  });
});
