#!/usr/bin/env node
// better-sqlite3 is a native module: Node (tests, CLI) and Electron (the app) need different builds of it.
// `node scripts/native-module.mjs node|electron` puts the right build in place, keeping each build it has
// made in node_modules/.stepwise-native so that switching back and forth is a file copy, not a rebuild.
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'package.json'))
const binary = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
const cacheDir = join(root, 'node_modules', '.stepwise-native')
const markerFile = join(cacheDir, 'current.json')

const readMarker = () => (existsSync(markerFile) ? JSON.parse(readFileSync(markerFile, 'utf8')) : null)
const writeMarker = (target) => {
  mkdirSync(cacheDir, { recursive: true })
  writeFileSync(markerFile, JSON.stringify(target))
}
const cachePath = (target) => join(cacheDir, `${target.runtime}-${target.version}`, 'better_sqlite3.node')
const keep = (target) => {
  mkdirSync(dirname(cachePath(target)), { recursive: true })
  copyFileSync(binary, cachePath(target))
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const run = (cmd, args, env = process.env) =>
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env, shell: process.platform === 'win32' })

/** Whether the binary in place loads in this Node, checked in a fresh process so no failed load is cached. */
function loadsInNode() {
  try {
    execFileSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: root, stdio: 'pipe' })
    return true
  } catch {
    return false
  }
}

export function ensureNode() {
  const target = { runtime: 'node', version: process.versions.modules }
  const marker = readMarker()
  if (existsSync(binary) && loadsInNode()) {
    if (marker?.runtime !== 'node' || marker.version !== target.version) writeMarker(target)
    if (!existsSync(cachePath(target))) keep(target)
    return
  }
  if (existsSync(cachePath(target))) {
    console.error(`[native] restoring better-sqlite3 built for Node (ABI ${target.version})`)
    copyFileSync(cachePath(target), binary)
  } else {
    console.error('[native] rebuilding better-sqlite3 for Node (about a minute)…')
    run(npm, ['rebuild', 'better-sqlite3'])
  }
  if (!loadsInNode())
    throw new Error('better-sqlite3 still does not load in Node after rebuilding; run `npm rebuild better-sqlite3` and read its output.')
  keep(target)
  writeMarker(target)
}

export function ensureElectron() {
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version
  const target = { runtime: 'electron', version: electronVersion }
  const marker = readMarker()
  if (marker?.runtime === 'electron' && marker.version === electronVersion && existsSync(binary)) return
  // Keep the Node build before replacing it, so `npm test` gets it back without compiling.
  if (existsSync(binary) && loadsInNode()) keep({ runtime: 'node', version: process.versions.modules })
  if (existsSync(cachePath(target))) {
    copyFileSync(cachePath(target), binary)
  } else {
    console.error(`[native] rebuilding better-sqlite3 for Electron ${electronVersion}…`)
    // A machine-wide nodedir (set on some build machines) would make node-gyp compile against Node's
    // headers while labelling the result as Electron's; Electron's own headers are wanted here.
    const env = { ...process.env }
    for (const key of Object.keys(env)) if (key.toLowerCase() === 'npm_config_nodedir') delete env[key]
    run(
      process.execPath,
      [require.resolve('@electron/rebuild/lib/cli.js'), '--force', '--only', 'better-sqlite3', '--version', electronVersion],
      env
    )
    keep(target)
  }
  writeMarker(target)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const which = process.argv[2]
  if (which === 'node') ensureNode()
  else if (which === 'electron') ensureElectron()
  else {
    console.error('usage: node scripts/native-module.mjs node|electron')
    process.exit(2)
  }
}
