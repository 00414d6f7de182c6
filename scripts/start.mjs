#!/usr/bin/env node
// `npm start`: the app in development (electron-vite dev) on a machine with a display and Electron;
// otherwise (a server, CI, a machine where Electron's download is blocked) it builds the app and runs the
// example workflow with the CLI, on the same services and the same database the app uses.
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureElectron, ensureNode } from './native-module.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const node = (args, options = {}) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', ...options })
const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')

function hasDisplay() {
  if (process.platform !== 'linux') return true
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
}

/** Electron 42+ downloads its binary the first time it is required; this asks for it once, up front. */
function electronAvailable() {
  const r = spawnSync(process.execPath, ['-e', "require('electron')"], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8'
  })
  if (r.status !== 0) {
    const reason = (r.stderr || '').split('\n').find((l) => /error/i.test(l)) ?? 'its binary could not be downloaded'
    console.error(`Electron is not available here (${reason.trim()}).`)
  }
  return r.status === 0
}

function runExampleWithCli() {
  ensureNode()
  const built = node([electronVite, 'build', '--logLevel', 'warn'])
  if (built.status !== 0) process.exit(built.status ?? 1)
  const workdir = join(root, 'out', 'example-run')
  mkdirSync(workdir, { recursive: true })
  console.error(`\nRunning examples/fetch-process-save.json with the CLI (its output lands in ${workdir}):\n`)
  const run = node([join(root, 'bin', 'stepwise.js'), 'run', join(root, 'examples', 'fetch-process-save.json'), '--workdir', workdir])
  console.error('\nMore: node bin/stepwise.js --help')
  process.exit(run.status ?? 1)
}

if (!hasDisplay()) {
  console.error('No display found: running the example workflow with the CLI instead of opening the window.')
  runExampleWithCli()
} else if (!electronAvailable()) {
  console.error('Running the example workflow with the CLI instead of opening the window.')
  runExampleWithCli()
} else {
  ensureElectron()
  const dev = node([electronVite, 'dev'])
  process.exit(dev.status ?? 0)
}
