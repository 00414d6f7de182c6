// What a killed runner leaves behind is cleaned up by the next start (app or CLI): the step processes it
// left running (only if their pid still names the same process) and its temp folder (at once).
import Database from 'better-sqlite3'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { processStartTimeNow } from '../src/main/services/engine'
import { openServices } from '../src/main/services/services'
import { ensureCliBuilt, runCli, startCli } from './helpers/cli'
import { isRunning, killQuietly, readPids, waitFor } from './helpers/processes'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, hangWithChild, openRealServices, py, saveAndRun, step, workflow, withStore } from './helpers/workflows'

let dir: string
const leftovers: number[] = []
const children: ChildProcess[] = []

beforeAll(async () => {
  await ensureCliBuilt()
  dir = makeTempDir('stepwise-orphans-')
}, 120_000)
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  killQuietly(leftovers)
  cleanupTempDirs()
})

const recordedPid = (db: string): number | null => {
  const raw = new Database(db, { readonly: true, fileMustExist: true })
  try {
    const row = raw.prepare(`SELECT pid, pid_started_at FROM step_runs WHERE status = 'RUNNING'`).get() as
      { pid: number | null; pid_started_at: string | null } | undefined
    return row?.pid_started_at ? row.pid : null
  } finally {
    raw.close()
  }
}

describe.skipIf(process.platform === 'win32')('the next start after kill -9 of the CLI', () => {
  it('ends the step script and its child that were left running, says so in the step error, and removes the run temp folder at once', async () => {
    const db = join(dir, 'killed.db')
    const wd = join(dir, 'work')
    const cliTmp = join(dir, 'cli-tmp')
    mkdirSync(wd)
    mkdirSync(cliTmp)
    const pidfile = join(wd, 'pids.txt')
    const file = join(dir, 'sleeps.json')
    writeFileSync(file, JSON.stringify({ name: 'Sleeps', steps: [step(0, 'Sleeper', hangWithChild(JSON.stringify(pidfile)))] }))
    const cli = startCli(['run', file, '--db', db, '--python', PYTHON, '--workdir', wd], { env: { TMPDIR: cliTmp } })
    children.push(cli)
    const exited = new Promise<void>((r) => cli.once('exit', () => r()))
    const [script, child] = await readPids(pidfile, 2, 15_000)
    leftovers.push(script, child)
    expect(await waitFor(() => recordedPid(db) === script, 5000)).toBe(true)
    expect(readdirSync(cliTmp).filter((n) => n.startsWith('stepwise-'))).toHaveLength(1)

    cli.kill('SIGKILL')
    await exited
    expect(isRunning(script) && isRunning(child)).toBe(true)

    // The next start: any CLI command opens the services the way the app does.
    const next = await runCli(['history', '--json', '--db', db])
    expect(next.code).toBe(0)
    expect(JSON.parse(next.stdout)[0].status).toBe('INTERRUPTED')
    expect(await waitFor(() => !isRunning(script) && !isRunning(child), 5000)).toBe(true)
    // Removed by the open itself, not by a sweep some seconds later (that CLI lived for well under a second of it).
    expect(readdirSync(cliTmp).filter((n) => n.startsWith('stepwise-'))).toEqual([])
    const e = withStore(db, (s) => s.getExecution(s.listExecutions()[0].id))
    expect(e.steps[0].status).toBe('INTERRUPTED')
    expect(e.steps[0].error).toContain(`Its script (pid ${script}) was still running`)
  }, 60_000)

  it('after kill -9 mid parallel run, every running step is INTERRUPTED, the waiting one SKIPPED, and all their processes end', async () => {
    const db = join(dir, 'parallel-killed.db')
    const wd = join(dir, 'parallel-work')
    mkdirSync(wd)
    const file = join(dir, 'parallel.json')
    const pidfile = (name: string) => JSON.stringify(join(wd, `${name}.pids`))
    writeFileSync(
      file,
      JSON.stringify({
        name: 'Parallel sleeps',
        steps: [
          step(0, 'Left', hangWithChild(pidfile('left')), { depends_on: [] }),
          step(1, 'Right', hangWithChild(pidfile('right')), { depends_on: [] }),
          step(2, 'Join', py(emit('{}')), { depends_on: ['step-0', 'step-1'] })
        ]
      })
    )
    const cli = startCli(['run', file, '--db', db, '--python', PYTHON, '--workdir', wd, '--max-parallel', '2'])
    children.push(cli)
    const exited = new Promise<void>((r) => cli.once('exit', () => r()))
    const pids = [...(await readPids(join(wd, 'left.pids'), 2, 15_000)), ...(await readPids(join(wd, 'right.pids'), 2, 15_000))]
    leftovers.push(...pids)
    const recorded = (): number => {
      const raw = new Database(db, { readonly: true, fileMustExist: true })
      try {
        return (
          (raw.prepare(`SELECT COUNT(*) FROM step_runs WHERE status = 'RUNNING' AND pid_started_at IS NOT NULL`).pluck().get() as number) ??
          0
        )
      } finally {
        raw.close()
      }
    }
    expect(await waitFor(() => recorded() === 2, 5000)).toBe(true)
    cli.kill('SIGKILL')
    await exited

    expect((await runCli(['history', '--json', '--db', db])).code).toBe(0)
    expect(await waitFor(() => pids.every((p) => !isRunning(p)), 5000)).toBe(true)
    const e = withStore(db, (s) => s.getExecution(s.listExecutions()[0].id))
    expect(e.status).toBe('INTERRUPTED')
    expect(e.steps.map((s) => s.status)).toEqual(['INTERRUPTED', 'INTERRUPTED', 'SKIPPED'])
  }, 60_000)

  it('never ends a process that merely has the recorded pid (another start time), nor touches debug runs and live runs', async () => {
    const services = openRealServices(join(dir, 'reuse'))
    const wd = join(dir, 'reuse-wd')
    mkdirSync(wd)
    const finished = await saveAndRun(services, workflow('Reused', [step(0, 'a', py(emit('{}')))]), { workingDirectory: wd })
    const debugRun = await saveAndRun(services, workflow('Debug', [step(0, 'a', py(emit('{}')))]), { workingDirectory: wd, debug: true })
    services.store.close()
    // An unrelated program that now has the pid the dead run recorded for its step.
    const stranger = spawn(PYTHON, ['-c', 'import time; time.sleep(60)'], { stdio: 'ignore' })
    children.push(stranger)
    leftovers.push(stranger.pid!)
    const gone = spawn(PYTHON, ['-c', 'pass'])
    await new Promise((r) => gone.once('exit', r))
    const raw = new Database(services.dbPath)
    const folders: Record<string, string> = {}
    for (const [e, live] of [
      [finished, false],
      [debugRun, false],
      [await liveCopy(), true]
    ] as const) {
      const folder = join(services.tempRoot, `stepwise-${e.id.slice(0, 8)}-left`)
      mkdirSync(folder)
      writeFileSync(join(folder, 'step_0_a.json'), '{}')
      folders[e.id] = folder
      raw
        .prepare(`UPDATE executions SET status = 'RUNNING', completed_at = NULL, runner_pid = ?, temp_dir = ? WHERE id = ?`)
        .run(live ? process.pid + 0 : gone.pid, folder, e.id)
      raw
        .prepare(`UPDATE step_runs SET status = 'RUNNING', pid = ?, pid_started_at = 'linux:1' WHERE execution_id = ?`)
        .run(stranger.pid, e.id)
    }
    raw.close()

    const reopened = openServices({ dbPath: services.dbPath, tempRoot: services.tempRoot })
    await reopened.close()
    expect(isRunning(stranger.pid!)).toBe(true)
    withStore(services.dbPath, (s) => {
      expect(s.getExecution(finished.id).status).toBe('INTERRUPTED')
      expect(s.getExecution(finished.id).steps[0].error).not.toContain('still running')
    })
    expect(existsSync(folders[finished.id])).toBe(false)
    expect(existsSync(folders[debugRun.id])).toBe(true)
    const liveId = Object.keys(folders).find((id) => id !== finished.id && id !== debugRun.id)!
    expect(existsSync(folders[liveId])).toBe(true)

    // A third run whose runner is this very test process: alive, so its run must stay RUNNING.
    async function liveCopy() {
      const again = openRealServices(join(dir, 'reuse'))
      const e = await saveAndRun(again, workflow('Live', [step(0, 'a', py(emit('{}')))]), { workingDirectory: wd })
      again.store.close()
      return e
    }
  }, 60_000)

  it('a run whose runner pid now names a later process (another start time) is known dead: INTERRUPTED, its folder removed', async () => {
    const services = openRealServices(join(dir, 'runner-reuse'))
    const wd = join(dir, 'runner-reuse-wd')
    mkdirSync(wd)
    const a = await saveAndRun(services, workflow('A', [step(0, 'a', py(emit('{}')))]), { workingDirectory: wd })
    const b = await saveAndRun(services, workflow('B', [step(0, 'a', py(emit('{}')))]), { workingDirectory: wd })
    services.store.close()
    const other = spawn(PYTHON, ['-c', 'import time; time.sleep(60)'], { stdio: 'ignore' })
    children.push(other)
    leftovers.push(other.pid!)
    await waitFor(() => processStartTimeNow(other.pid!) !== null, 5000)
    const raw = new Database(services.dbPath)
    const folder = (id: string): string => join(services.tempRoot, `stepwise-${id.slice(0, 8)}-left`)
    // a: its runner pid was given to `other` later; b: `other` really is its runner.
    for (const [e, startedAt] of [
      [a, 'linux:1'],
      [b, processStartTimeNow(other.pid!)]
    ] as const) {
      mkdirSync(folder(e.id))
      raw
        .prepare(
          `UPDATE executions SET status = 'RUNNING', completed_at = NULL, runner_pid = ?, runner_started_at = ?, temp_dir = ? WHERE id = ?`
        )
        .run(other.pid, startedAt, folder(e.id), e.id)
    }
    raw.close()
    await openServices({ dbPath: services.dbPath, tempRoot: services.tempRoot }).close()
    withStore(services.dbPath, (s) => {
      expect(s.getExecution(a.id).status).toBe('INTERRUPTED')
      expect(s.getExecution(b.id).status).toBe('RUNNING')
    })
    expect(existsSync(folder(a.id))).toBe(false)
    expect(existsSync(folder(b.id))).toBe(true)
    expect(isRunning(other.pid!)).toBe(true)
  }, 60_000)
})
