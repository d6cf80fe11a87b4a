/**
 * The sandbox page's build (issue 14): a second app next to the admin one, sharing its React,
 * Mantine and the Block Kit renderer (web/src/block-kit). With no Slack configured the server
 * serves its index.html at / and at /sandbox/, and its assets at /sandbox/assets/, so every URL
 * it emits starts with /sandbox/. `npm run build:web` writes web/dist-sandbox.
 */
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: path.join(import.meta.dirname, 'sandbox'),
  base: '/sandbox/',
  plugins: [react()],
  build: {
    outDir: path.join(import.meta.dirname, 'dist-sandbox'),
    // The output is outside the root: Vite empties it only when told to.
    emptyOutDir: true,
    // The CSP allows scripts from 'self' only: never inline a module as a data: URL.
    assetsInlineLimit: 0,
    // Mantine and React in one chunk, loaded once per visit.
    chunkSizeWarningLimit: 1500,
  },
});
