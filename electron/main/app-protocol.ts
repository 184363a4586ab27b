// Serves the renderer from app://foxtrot/ instead of file:// (Electron security
// checklist): a standard, secure origin with its own CSP header, and no access to
// anything outside the renderer bundle. A malformed or failing request is answered
// (400/404/500), never thrown: an exception here would be an uncaught one in main.
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { APP_HOST, APP_SCHEME } from './app-origin';
import { bundleFile, decodeUrlPath } from '../engine/host/bundle-path';
import { CSP_HEADER } from '../../shared/content-security-policy';

export { APP_ORIGIN, APP_SCHEME } from './app-origin';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Must run after app 'ready'. */
export function serveRenderer(rendererDir: string, onError: (error: unknown) => void = () => undefined): void {
  protocol.handle(APP_SCHEME, async (request) => {
    try {
      const url = new URL(request.url);
      if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
      const path = decodeUrlPath(url.pathname);
      if (path === undefined) return new Response('malformed path', { status: 400 });
      const file = bundleFile(rendererDir, path);
      if (file === undefined) return new Response('forbidden', { status: 403 });
      const res = await net.fetch(pathToFileURL(file).toString());
      const headers = new Headers(res.headers);
      headers.set('Content-Security-Policy', CSP_HEADER);
      headers.set('X-Content-Type-Options', 'nosniff');
      return new Response(res.body, { status: res.status, headers });
    } catch (e) {
      onError(e);
      return new Response('failed', { status: 500 });
    }
  });
}
