import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const rendererRoot = fileURLToPath(new URL('./renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));

/**
 * Build of the React UI into dist/renderer. Relative asset paths let the same build load from
 * the headless service's origin and from a file inside the Electron app. The output contains no
 * inline script and loads nothing from another origin, as the served page's CSP
 * (`default-src 'self'`, `script-src 'self'`) requires.
 */
export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: true,
    // The CSP allows data: URLs for images only, so no asset may be inlined into scripts or CSS.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
