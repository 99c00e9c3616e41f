// Vite build of the Yiye browser UI.
//
// The output (web/dist) is served as static files by `yiye serve` under a strict
// Content-Security-Policy (script-src 'self', no 'unsafe-eval'), so:
//  - Vue SFC templates are compiled here, at build time, and the runtime-only Vue
//    build is bundled (the default `vue` entry for bundlers);
//  - index.html carries no inline script; Vite emits hashed files under dist/assets/.
// Element Plus: components are imported by name where they are used; the
// unplugin-element-plus plugin adds the stylesheet of each imported component
// (instead of all of Element Plus's CSS). build/compress.js writes .br/.gz
// copies that the server sends to browsers accepting them.
// `npm run dev` proxies /api and /healthz to a running `yiye serve` (YIYE_DEV_API).
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import ElementPlus from 'unplugin-element-plus/vite'
import compress from './build/compress.js'

const devApi = process.env.YIYE_DEV_API || 'http://127.0.0.1:8080'

export default defineConfig({
  base: '/',
  plugins: [vue(), ElementPlus({ useSource: false }), compress()],
  define: {
    // Keep the Options API (Element Plus uses it) but drop devtools hooks.
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Keep Element Plus icons and fonts as files rather than data: URLs where
    // they are large; small ones may be inlined (img-src/font-src allow data:).
    assetsInlineLimit: 4096,
    chunkSizeWarningLimit: 900,
    sourcemap: false
  },
  server: {
    proxy: {
      '/api': devApi,
      '/healthz': devApi
    }
  }
})
