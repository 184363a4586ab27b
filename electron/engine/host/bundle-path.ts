// Maps a request's URL path to a file of the renderer bundle, for both hosts (the
// headless HTTP server and Electron's app:// protocol). Malformed paths are an
// answer (undefined → 400), never an exception: one request must not take a host down.
import { normalize, resolve, sep } from 'node:path';

/** The decoded path, or undefined if it is malformed (bad %-escape, NUL byte). */
export function decodeUrlPath(pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  return decoded.includes('\0') ? undefined : decoded;
}

/** The file under `root` for a decoded path ("/" is index.html), or undefined if it would leave the bundle. */
export function bundleFile(root: string, decodedPath: string): string | undefined {
  const base = resolve(root);
  const rel = decodedPath === '/' || decodedPath === '' ? 'index.html' : normalize(decodedPath).replace(/^([/\\])+/, '');
  const file = resolve(base, rel);
  return file === base || file.startsWith(base + sep) ? file : undefined;
}
