// Picks the host API: the preload's window.foxtrot in Electron, otherwise the
// headless WebSocket bridge. Either way every received message is validated
// (validated-api.ts) before the app sees it.
import type { HostLink, LinkState, UntrustedApi } from './link';
import type { SocketHandlers, SocketLike } from './headless-bridge';
import { createHeadlessBridge, headlessSocketUrl } from './headless-bridge';
import { validatedApi } from './validated-api';

declare global {
  interface Window {
    /** Exposed by the Electron preload through contextBridge; absent in a plain browser. */
    foxtrot?: UntrustedApi;
  }
}

const clock = () => performance.now();

export function connect(): HostLink {
  const preload = window.foxtrot;
  if (preload && typeof preload.onMessage === 'function' && typeof preload.send === 'function') {
    return preloadLink(preload);
  }
  return createHeadlessBridge({
    url: headlessSocketUrl(window.location),
    openSocket: openBrowserSocket,
    setTimer: (callback, ms) => window.setTimeout(callback, ms),
    clearTimer: (handle) => window.clearTimeout(handle as number),
    clock,
  });
}

/** In Electron the IPC channel lives as long as the window: the link is always open. */
function preloadLink(preload: UntrustedApi): HostLink {
  const open: LinkState = { status: 'open' };
  return {
    api: validatedApi(preload, { clock }),
    state: () => open,
    onStateChange: () => () => {},
    expectHostExit: () => {},
    retry: () => {},
  };
}

function openBrowserSocket(url: string, handlers: SocketHandlers): SocketLike {
  const ws = new WebSocket(url);
  ws.onopen = () => handlers.onOpen();
  ws.onmessage = (event: MessageEvent) => handlers.onMessage(event.data);
  // 'error' is always followed by 'close', which is the one place loss is handled.
  ws.onclose = () => handlers.onClose();
  return {
    isOpen: () => ws.readyState === WebSocket.OPEN,
    send: (data) => ws.send(data),
  };
}
