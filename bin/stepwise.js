#!/usr/bin/env node
// The `stepwise` command: runs the built CLI (out/main/cli.js) under Node.
'use strict'
const { existsSync, readFileSync } = require('node:fs')
const { join } = require('node:path')
const { spawnSync } = require('node:child_process')

const root = join(__dirname, '..')
const cli = join(root, 'out', 'main', 'cli.js')
if (!existsSync(cli)) {
  process.stderr.write('stepwise: the CLI is not built yet. Run `npm run build` in ' + root + ' first.\n')
  process.exit(2)
}

// After `npm start` the native module is built for Electron (scripts/native-module.mjs records which build
// is in place); put the Node build back before running.
const marker = join(root, 'node_modules', '.stepwise-native', 'current.json')
if (existsSync(marker) && JSON.parse(readFileSync(marker, 'utf8')).runtime !== 'node') {
  spawnSync(process.execPath, [join(root, 'scripts', 'native-module.mjs'), 'node'], { cwd: root, stdio: 'inherit' })
}

const saveCodeCache = require('./code-cache').install(join(root, 'out', 'main'))
// A command that runs on (the daemon, a long run) keeps its compiled code from early on.
setTimeout(saveCodeCache, 3000).unref()

require(cli)
  .main(process.argv.slice(2))
  .then(
    // Exit only once stdout is flushed: to a pipe, process.exit would cut a large --json answer short.
    (code) => process.stdout.write('', () => (saveCodeCache(), process.exit(code))),
    (err) => {
      process.stderr.write('stepwise: ' + (err && err.stack ? err.stack : String(err)) + '\n')
      saveCodeCache()
      process.exit(1)
    }
  )
