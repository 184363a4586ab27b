// futu-api's base.js uses a global WebSocket. The app's bundle gives it `ws`
// (scripts/build.mjs); tests that import futu-api from source under Node 20 give
// it the same `ws` as a global.
import { afterEach, beforeEach, vi } from 'vitest';
import { WebSocket } from 'ws';

export function provideWebSocketGlobal(): void {
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
}

/**
 * futu-api (and @stoqey/ib) write logins, closes and errors to the console under
 * plain Node; the app's bundle silences them. Call at the top of a test file: each
 * test runs with console.log and console.debug silent, restored after the file's
 * own afterEach hooks (registered later, so run first) have stopped what it started.
 */
export function quietClientConsole(): void {
  beforeEach(() => {
    vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
}
