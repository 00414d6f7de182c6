// scripts/native-module.mjs switches better-sqlite3 between its Node and Electron builds. Here it works on
// a copy of the package in a temp project, with a stand-in for the Electron build (no Electron headers can
// be downloaded here): after `npm start` has put the Electron build in place, `npm test` must get a
// working Node build back by itself, without compiling.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { REPO_ROOT } from './helpers/workflows'

afterAll(cleanupTempDirs)

function tempProject(): string {
  const root = makeTempDir('stepwise-native-')
  mkdirSync(join(root, 'scripts'))
  cpSync(join(REPO_ROOT, 'scripts', 'native-module.mjs'), join(root, 'scripts', 'native-module.mjs'))
  for (const pkg of ['better-sqlite3', 'bindings', 'file-uri-to-path']) {
    cpSync(join(REPO_ROOT, 'node_modules', pkg), join(root, 'node_modules', pkg), {
      recursive: true,
      filter: (src) => !/[\\/](deps|src|obj|obj\.target)$/.test(src)
    })
  }
  mkdirSync(join(root, 'node_modules', 'electron'))
  writeFileSync(join(root, 'node_modules', 'electron', 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }))
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'tmp', private: true }))
  return root
}

const run = (root: string, target: string) =>
  execFileSync(process.execPath, [join(root, 'scripts', 'native-module.mjs'), target], { cwd: root, encoding: 'utf8' })
const loadsInNode = (root: string) =>
  spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: root }).status === 0
const marker = (root: string) => JSON.parse(readFileSync(join(root, 'node_modules', '.stepwise-native', 'current.json'), 'utf8'))

describe('switching the native module between Node and Electron', () => {
  it('puts the Electron build in place for the app and gets the Node build back for the tests', () => {
    const root = tempProject()
    const binary = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
    const nodeBuild = readFileSync(binary)

    run(root, 'node')
    expect(marker(root)).toEqual({ runtime: 'node', version: process.versions.modules })
    expect(loadsInNode(root)).toBe(true)

    // Stand-in for what @electron/rebuild made on an earlier `npm start`: a build Node cannot load.
    const electronCache = join(root, 'node_modules', '.stepwise-native', 'electron-45.4.1')
    mkdirSync(electronCache, { recursive: true })
    writeFileSync(join(electronCache, 'better_sqlite3.node'), 'an Electron build')

    run(root, 'electron')
    expect(marker(root)).toEqual({ runtime: 'electron', version: '45.4.1' })
    expect(readFileSync(binary, 'utf8')).toBe('an Electron build')
    expect(loadsInNode(root)).toBe(false)
    // Asking again changes nothing (npm start twice in a row).
    run(root, 'electron')
    expect(readFileSync(binary, 'utf8')).toBe('an Electron build')

    // `npm test` after `npm start`: the Node build comes back from the cache, byte for byte.
    run(root, 'node')
    expect(marker(root)).toEqual({ runtime: 'node', version: process.versions.modules })
    expect(readFileSync(binary).equals(nodeBuild)).toBe(true)
    expect(loadsInNode(root)).toBe(true)
    expect(existsSync(join(root, 'node_modules', '.stepwise-native', `node-${process.versions.modules}`, 'better_sqlite3.node'))).toBe(true)
  })
})
