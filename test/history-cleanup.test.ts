// Issue 14 item 5: deleting a run removes what it kept on disk (a debug run's scripts), never a folder it
// did not create; "Keep history for N days" trims older runs and leaves the recent ones and running ones.
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { deleteRuns, trimHistory } from '../src/main/services/history'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, openRealServices, py, saveAndRun, step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

describe('history clean-up', () => {
  it('deletes a debug run with its kept files, and never a folder a damaged row points at', async () => {
    const dir = makeTempDir()
    const services = openRealServices(dir)
    const wd = join(dir, 'wd')
    mkdirSync(wd)
    const debug = await saveAndRun(services, workflow('월간 보고서', [step(0, 'a', py(emit('{"n": 1}')))]), {
      workingDirectory: wd,
      debug: true
    })
    const kept = dirname(debug.steps[0].script_path!)
    expect(existsSync(debug.steps[0].script_path!)).toBe(true)
    const plain = await saveAndRun(services, workflow('other', [step(0, 'a', py(emit('{}')))]), { workingDirectory: wd })
    // A row pointing at the user's working folder (damaged or hand-edited) must not get it removed.
    services.store.setTempDir(plain.id, wd)

    expect(await deleteRuns(services.store, [debug.id, plain.id])).toEqual({ deleted: 2, removedFolders: 1 })
    expect(existsSync(kept)).toBe(false)
    expect(existsSync(wd)).toBe(true)
    expect(services.store.listExecutions()).toEqual([])
    services.store.close()
  })

  it('trims runs older than the kept days, only when the setting is on', async () => {
    const dir = makeTempDir()
    const services = openRealServices(dir)
    const wd = join(dir, 'wd')
    mkdirSync(wd)
    const old = await saveAndRun(services, workflow('old', [step(0, 'a', py(emit('{}')))]), { workingDirectory: wd, debug: true })
    const recent = await saveAndRun(services, workflow('recent', [step(0, 'a', py(emit('{}')))]), { workingDirectory: wd })
    const oldKept = dirname(old.steps[0].script_path!)
    const inTenDays = new Date(Date.now() + 10 * 24 * 3600 * 1000)

    // Off by default: nothing goes, however old.
    expect((await trimHistory(services.store, inTenDays)).deleted).toBe(0)

    services.store.updateSettings({ history_keep_days: 7 })
    // Seven days and a moment after the first run: only it is older than the kept days.
    expect(Date.parse(recent.started_at)).toBeGreaterThan(Date.parse(old.started_at))
    const justPastOld = new Date(Date.parse(old.started_at) + 7 * 24 * 3600 * 1000 + 1)
    expect(await trimHistory(services.store, justPastOld)).toEqual({ deleted: 1, removedFolders: 1 })
    expect(services.store.listExecutions().map((e) => e.id)).toEqual([recent.id])
    expect(existsSync(oldKept)).toBe(false)
    expect((await trimHistory(services.store, inTenDays)).deleted).toBe(1)
    expect(services.store.listExecutions()).toEqual([])
    services.store.close()
  })
})
