import { defineConfig } from 'vite';

// The client lives in client/; the built files go to dist/client, which the server serves.
export default defineConfig({
  root: 'client',
  base: '/',
  build: { outDir: '../dist/client', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/socket.io': { target: 'ws://127.0.0.1:8080', ws: true } } },
});
