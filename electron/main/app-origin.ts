// The renderer's origin, app://foxtrot. Plain constants (no Electron import) so the
// security policy that compares URLs against it runs and is tested under Node.
export const APP_SCHEME = 'app';
export const APP_HOST = 'foxtrot';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
