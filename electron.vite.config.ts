import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  main: {
    build: {
      // execa is ESM-only and main is CommonJS: bundle it (and zod) in; better-sqlite3 stays external.
      externalizeDeps: { exclude: ['execa', 'zod'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli.ts')
        }
      }
    }
  },
  preload: {
    // A sandboxed preload can require nothing but electron: bundle everything it uses.
    build: { externalizeDeps: false }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: { rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') } },
    plugins: [react()]
  }
})
