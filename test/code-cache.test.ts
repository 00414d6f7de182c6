// The CLI's V8 code cache (bin/code-cache.js): made after the first command, used by the next, and a
// damaged or foreign cache file is rejected by V8 and made again: the command works either way.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureCliBuilt, runCli } from './helpers/cli'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'

let dir: string
beforeAll(async () => {
  await ensureCliBuilt()
  dir = makeTempDir('stepwise-code-cache-')
}, 120_000)
afterAll(cleanupTempDirs)

// XDG_CACHE_HOME places the cache on Linux; elsewhere it is the system's cache folder.
describe.skipIf(process.platform !== 'linux')('the CLI code cache', () => {
  const env = (home: string): NodeJS.ProcessEnv => ({ XDG_CACHE_HOME: home })
  const cacheFiles = (home: string): string[] => readdirSync(join(home, 'Stepwise', 'code-cache')).sort()

  it('is made by the first command, kept by the next, and made again when damaged', async () => {
    const home = join(dir, 'cache-a')
    const db = join(dir, 'a.db')
    const first = await runCli(['list', '--db', db], { env: env(home) })
    expect(first.code).toBe(0)
    const files = cacheFiles(home)
    // cli.js and the services chunk, each named by its size, time and the Node version.
    expect(files.length).toBe(2)
    expect(files.every((f) => f.includes(process.version))).toBe(true)
    const sizes = files.map((f) => readFileSync(join(home, 'Stepwise', 'code-cache', f)).length)
    expect(Math.min(...sizes)).toBeGreaterThan(1000)

    const again = await runCli(['list', '--db', db], { env: env(home) })
    expect(again).toEqual(first)
    expect(cacheFiles(home)).toEqual(files)

    for (const f of files) writeFileSync(join(home, 'Stepwise', 'code-cache', f), 'not V8 code at all')
    const damaged = await runCli(['list', '--db', db], { env: env(home) })
    expect(damaged).toEqual(first)
    for (const f of files) expect(readFileSync(join(home, 'Stepwise', 'code-cache', f), 'utf8')).not.toBe('not V8 code at all')
  })

  it('STEPWISE_CODE_CACHE=off keeps none, and a folder that cannot be written does not fail the command', async () => {
    const home = join(dir, 'cache-b')
    const off = await runCli(['list', '--db', join(dir, 'b.db')], { env: { ...env(home), STEPWISE_CODE_CACHE: 'off' } })
    expect(off.code).toBe(0)
    expect(() => cacheFiles(home)).toThrow()

    const blocked = join(dir, 'a-file')
    writeFileSync(blocked, 'x')
    const r = await runCli(['list', '--db', join(dir, 'b.db')], { env: env(blocked) })
    expect(r).toEqual(off)
  })
})
