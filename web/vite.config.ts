/**
 * The admin web app's build. It is served by the API at /admin (src/api/plugins/admin-web.ts),
 * so every URL it emits starts with /admin/. `npm run build:web` writes web/dist; `npm run dev`
 * runs this config in middleware mode behind the API's port.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP allows scripts from 'self' only: never inline a module as a data: URL.
    assetsInlineLimit: 0,
    // A warning at 500 kB is noise for an admin app loaded once per session over a LAN or TLS.
    chunkSizeWarningLimit: 1500,
  },
});
