// futu-api's base.js uses a global WebSocket. The app's bundle gives it `ws`
// (scripts/build.mjs); tests that import futu-api from source under Node 20 give
// it the same `ws` as a global.
import { WebSocket } from 'ws';

export function provideWebSocketGlobal(): void {
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
}
