import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The renderer: one React app for the clinic workstation, the reading room and admin screens. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    chunkSizeWarningLimit: 4000,
  },
});
