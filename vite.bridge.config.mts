// Builds what the end-to-end tests run, never part of the Electron build:
//   - the renderer for a plain browser, with window.stepwise carried over the test bridge's WebSocket
//     (test/bridge/client), into out/bridge;
//   - with STEPWISE_BUILD=server, the bridge server itself (test/bridge/server.ts) for Node, into
//     out/bridge-server, bundling ESM-only execa as the Electron main build does.
import { resolve } from 'node:path'
import { defineConfig, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'

const bridgeClient = resolve(import.meta.dirname, 'test/bridge/client/install-bridge-api.ts')

/** Puts the bridge client's script before the renderer's entry, so window.stepwise exists when the app starts. */
function installBridgeApi(): Plugin {
  return {
    name: 'stepwise-install-bridge-api',
    transformIndexHtml: {
      order: 'pre',
      handler: (html) =>
        html.replace(
          '<script type="module" src="./src/main.tsx"></script>',
          `<script type="module" src="/@fs${bridgeClient}"></script>\n    <script type="module" src="./src/main.tsx"></script>`
        )
    }
  }
}

const server = defineConfig({
  build: {
    ssr: resolve(import.meta.dirname, 'test/bridge/server.ts'),
    outDir: resolve(import.meta.dirname, 'out/bridge-server'),
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: { output: { format: 'cjs', entryFileNames: 'server.cjs' } }
  },
  ssr: { noExternal: true, external: ['better-sqlite3', '@napi-rs/keyring', 'ws'] }
})

const renderer = defineConfig({
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  plugins: [installBridgeApi(), react()],
  build: {
    outDir: resolve(import.meta.dirname, 'out/bridge'),
    emptyOutDir: true,
    rollupOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') }
  }
})

export default process.env.STEPWISE_BUILD === 'server' ? server : renderer
