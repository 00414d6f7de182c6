// A chosen interpreter is probed once; later runs reuse the answer from the user's cache folder (whichever
// database they use) until the file (or the executable it reported) changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCommand, type CommandRunner } from '../src/main/services/command-runner'
import { ProbeCache, resolvePython } from '../src/main/services/python'
import { userCacheDir } from '../src/main/services/app-paths'
import { openServices } from '../src/main/services/services'
import { saveAndRun, workflow, step, py, emit } from './helpers/workflows'
import { PYTHON } from './helpers/python'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stepwise-probe-cache-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function countingRunner(): { run: CommandRunner; calls: () => number } {
  let calls = 0
  return {
    run: (command, args, options) => {
      calls++
      return runCommand(command, args, options)
    },
    calls: () => calls
  }
}

describe('the persisted probe cache', () => {
  it('a second run (a new process: a new cache object) does not probe the chosen interpreter again', async () => {
    const file = join(dir, 'a', 'python-probes.json')
    const runner = countingRunner()
    const t0 = performance.now()
    const first = await resolvePython([PYTHON], { run: runner.run, probeCache: new ProbeCache(file) })
    const t1 = performance.now()
    const second = await resolvePython([PYTHON], { run: runner.run, probeCache: new ProbeCache(file) })
    const t2 = performance.now()
    expect(runner.calls()).toBe(1)
    expect(second).toEqual(first)
    expect(JSON.parse(readFileSync(file, 'utf8'))[PYTHON].interpreter.path).toBe(first.path)
    console.log(`resolvePython(--python): probed ${(t1 - t0).toFixed(1)} ms, from the cache ${(t2 - t1).toFixed(1)} ms`)
  })

  it.skipIf(process.platform === 'win32')('probes again when the chosen file changes', async () => {
    const file = join(dir, 'b', 'python-probes.json')
    const wrapper = join(dir, 'python-wrapper')
    writeFileSync(wrapper, `#!/bin/sh\nexec "${PYTHON}" "$@"\n`)
    chmodSync(wrapper, 0o755)
    const runner = countingRunner()
    await resolvePython([wrapper], { run: runner.run, probeCache: new ProbeCache(file) })
    await resolvePython([wrapper], { run: runner.run, probeCache: new ProbeCache(file) })
    expect(runner.calls()).toBe(1)
    writeFileSync(wrapper, `#!/bin/sh\n# upgraded\nexec "${PYTHON}" "$@"\n`)
    await resolvePython([wrapper], { run: runner.run, probeCache: new ProbeCache(file) })
    expect(runner.calls()).toBe(2)
  })

  it('a damaged cache file is ignored and rewritten', async () => {
    const file = join(dir, 'c.json')
    writeFileSync(file, '{"not": "a cache"')
    const runner = countingRunner()
    const found = await resolvePython([PYTHON], { run: runner.run, probeCache: new ProbeCache(file) })
    expect(runner.calls()).toBe(1)
    expect(JSON.parse(readFileSync(file, 'utf8'))[PYTHON].interpreter).toEqual(found)
  })

  it.skipIf(process.platform === 'win32')('a failed probe is not cached', async () => {
    const file = join(dir, 'd.json')
    const broken = join(dir, 'not-python')
    writeFileSync(broken, '#!/bin/sh\nexit 3\n')
    chmodSync(broken, 0o755)
    const probeCache = new ProbeCache(file)
    await expect(resolvePython([broken], { probeCache })).rejects.toThrow(/not a working Python 3/)
    expect(probeCache.get(broken)).toBeNull()
  })
})

describe('the cache folder: one per user, not per database', () => {
  it("a run with a second database reuses the first one's probe", async () => {
    const cache = join(dir, 'user-cache')
    const before = process.env.STEPWISE_CACHE_DIR
    process.env.STEPWISE_CACHE_DIR = cache
    try {
      for (const db of ['one.db', 'two.db']) {
        const services = openServices({ dbPath: join(dir, db) })
        try {
          const e = await saveAndRun(services, workflow(`probe ${db}`, [step(0, 'a', py(emit('{"ok": 1}')))]), {
            python: PYTHON,
            workingDirectory: dir
          })
          expect(e.status).toBe('SUCCESS')
        } finally {
          await services.close()
        }
      }
      const entries = JSON.parse(readFileSync(join(cache, 'python-probes.json'), 'utf8'))
      expect(Object.keys(entries)).toContain(PYTHON)
    } finally {
      if (before === undefined) delete process.env.STEPWISE_CACHE_DIR
      else process.env.STEPWISE_CACHE_DIR = before
    }
  })

  it.each([
    ['linux', { XDG_CACHE_HOME: '/x/cache' }, '/x/cache/Stepwise'],
    ['win32', { LOCALAPPDATA: 'C:\\Users\\김\\AppData\\Local' }, 'Stepwise'],
    ['linux', { STEPWISE_HOME: '/portable' }, '/portable/cache'],
    ['darwin', { STEPWISE_CACHE_DIR: '/elsewhere' }, '/elsewhere']
  ] as const)('on %s with %j: %s', (platform, env, expected) => {
    expect(userCacheDir(platform, env)).toContain(expected)
  })
})
