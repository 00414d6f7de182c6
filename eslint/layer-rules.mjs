// The layer rules of DEVELOPERS.md as one lint rule: each import is resolved to the layer it lands in and
// checked against what the importing file's layer may use. A rule of our own rather than a generic plugin,
// so that the message names the layer rule that was broken and what that layer may import instead.
import { builtinModules } from 'node:module'
import { dirname, relative, resolve, sep } from 'node:path'

const NODE_BUILTINS = new Set(builtinModules)
const isNodeBuiltin = (source) => source.startsWith('node:') || NODE_BUILTINS.has(source.split('/')[0])

/** Packages that need Electron at run time, and so may be imported by the app shell only. */
const ELECTRON_PACKAGES = ['electron', 'electron-updater']

/** The layers, most specific first; `path` is relative to the repository root. */
const LAYERS = [
  {
    name: 'shared',
    path: 'src/shared/',
    layers: ['shared'],
    externals: (s) => s === 'zod',
    why: 'src/shared runs in every process: it may import only src/shared and zod (no Node, no DOM, no other layer)'
  },
  {
    name: 'renderer',
    path: 'src/renderer/',
    layers: ['renderer', 'shared'],
    externals: (s) => !isNodeBuiltin(s) && !['electron', 'better-sqlite3', 'execa'].includes(s.split('/')[0]),
    why: 'src/renderer runs in the sandboxed window: it may import only src/shared and browser packages, and reaches the rest through window.stepwise'
  },
  {
    name: 'preload',
    path: 'src/preload/',
    layers: ['preload', 'shared'],
    externals: (s) => s === 'electron',
    why: 'src/preload is sandboxed: it may import only src/shared and electron (contextBridge, ipcRenderer)'
  },
  {
    // Files shipped as they are (the Windows step bootstrap, the spare interpreter's), imported as text.
    name: 'resources',
    path: 'resources/',
    layers: [],
    externals: () => false,
    why: 'resources holds files shipped as they are; it imports nothing'
  },
  {
    // The example workflow, shipped inside main (the first screen's "Open example") and read by the tests.
    name: 'examples',
    path: 'examples/',
    layers: [],
    externals: () => false,
    why: 'examples holds workflow files shipped as they are; it imports nothing'
  },
  {
    name: 'services',
    path: 'src/main/services/',
    layers: ['services', 'shared', 'resources', 'examples'],
    // electron-updater loads electron itself: it belongs to the app shell as much as electron does.
    externals: (s) => !ELECTRON_PACKAGES.includes(s.split('/')[0]),
    why: 'src/main/services are plain Node modules shared by the app, the CLI and the test bridge: never electron, never the app shell or the CLI'
  },
  {
    name: 'cli',
    path: 'src/main/cli/',
    layers: ['cli', 'services', 'shared'],
    externals: (s) => !ELECTRON_PACKAGES.includes(s.split('/')[0]),
    why: 'src/main/cli runs under plain Node: it may import services and shared, never electron or the app shell'
  },
  {
    name: 'app',
    path: 'src/main/app/',
    layers: ['app', 'services', 'shared'],
    externals: () => true,
    why: 'src/main/app is the Electron shell: it may import services, shared and electron'
  }
]

const root = resolve(dirname(new URL(import.meta.url).pathname), '..')

function layerOf(file) {
  const rel = relative(root, file).split(sep).join('/')
  return LAYERS.find((l) => rel.startsWith(l.path)) ?? null
}

const allowedImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only the layers below it (DEVELOPERS.md, "Layout")' },
    schema: [],
    messages: {
      layer: 'Layer rule "{{layer}}": "{{source}}" is not allowed here. {{why}}.'
    }
  },
  create(context) {
    const file = context.filename
    const layer = layerOf(file)
    if (!layer) return {}
    const check = (node, source) => {
      if (typeof source !== 'string') return
      let ok
      if (source.startsWith('.') || source.startsWith('/')) {
        const target = layerOf(resolve(dirname(file), source))
        ok = target !== null && layer.layers.includes(target.name)
      } else {
        ok = layer.externals(source)
      }
      if (!ok) context.report({ node, messageId: 'layer', data: { layer: layer.name, source, why: layer.why } })
    }
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node.arguments[0], node.arguments[0].value)
        }
      }
    }
  }
}

export default { meta: { name: 'stepwise-layers' }, rules: { 'allowed-imports': allowedImports } }
