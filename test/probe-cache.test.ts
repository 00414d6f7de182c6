// A chosen interpreter is probed once; later runs reuse the answer from the data folder until the file
// (or the executable it reported) changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCommand, type CommandRunner } from '../src/main/services/command-runner'
import { ProbeCache, resolvePython } from '../src/main/services/python'
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
