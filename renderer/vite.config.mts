import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// Relative base: the same bundle is loaded from the app:// protocol in Electron
// and from the headless host's HTTP server.
export default defineConfig({
  root: resolve(here),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(here, '../out/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
