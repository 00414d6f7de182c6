// The SQLite store on a real file: schema versions, reopening, executions, settings, search.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { textsOf, valueText } from '../src/shared/json-text'
import { DEFAULT_SETTINGS, type Workflow } from '../src/shared/model'
import { NotFoundError, Store } from '../src/main/services/store'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, py, step, workflow, withStore } from './helpers/workflows'

afterAll(cleanupTempDirs)

const freshPath = (): string => join(makeTempDir('stepwise-store-'), 'nested', 'stepwise.db')

function finishedExecution(s: Store, wf: Workflow, status: 'SUCCESS' | 'FAILED' = 'SUCCESS'): string {
  const id = s.createExecution({
    workflow: wf,
    steps: wf.steps,
    initialVariables: textsOf({ a: 1 }),
    debug: false,
    workingDirectory: '/tmp',
    pythonPath: '/usr/bin/python3'
  })
  s.updateStepRun(id, wf.steps[0].id, {
    status,
    exit_code: status === 'SUCCESS' ? 0 : 1,
    logs: 'log line\n',
    output: valueText({ ok: status === 'SUCCESS', b: 2 }),
    // Applied first, setting b: the run's variables are rebuilt from this on read.
    ...(status === 'SUCCESS' && { seq: 0, variables_set: { b: 'b' } })
  })
  s.finishExecution(id, status, {
    error: null,
    skipped: wf.steps.slice(1).map((x) => x.id)
  })
  return id
}

const twoSteps = (name: string, description = '') =>
  workflow(
    name,
    [step(0, 'First', py(emit('{}'))), step(1, 'Second', py(emit('{}')), { input_mapping: { x: 'a' }, timeout_seconds: 2.5 })],
    { description }
  )

describe('schema', () => {
  it('a new file gets the schema, the WAL journal and a user_version', () => {
    const path = freshPath()
    withStore(path, (s) => {
      expect(s.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(1)
      expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal')
      const tables = (s.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map(
        (t) => t.name
      )
      expect(tables).toEqual([
        'execution_outputs',
        'executions',
        'lease',
        'schedules',
        'settings',
        'step_attempts',
        'step_runs',
        'steps',
        'triggers',
        'workflows'
      ])
    })
  })

  it('reopening keeps everything and does not migrate again', () => {
    const path = freshPath()
    const { wf, execId, version } = withStore(path, (s) => {
      const wf = s.saveWorkflow(twoSteps('Keep me', '설명'))
      s.updateSettings({ debug_mode: true })
      return { wf, execId: finishedExecution(s, wf), version: s.db.pragma('user_version', { simple: true }) }
    })
    withStore(path, (s) => {
      expect(s.db.pragma('user_version', { simple: true })).toBe(version)
      expect(s.getWorkflow(wf.id)).toEqual(wf)
      const e = s.getExecution(execId)
      expect(e.status).toBe('SUCCESS')
      expect(e.variables).toEqual({ a: 1, b: 2 })
      expect(e.steps.map((x) => x.status)).toEqual(['SUCCESS', 'SKIPPED'])
      expect(e.steps[0].logs).toBe('log line\n')
      expect(s.getSettings().debug_mode).toBe(true)
    })
  })

  it('refuses a database written by a newer Stepwise, with a message saying so, and leaves it untouched', () => {
    const path = freshPath()
    const version = withStore(path, (s) => {
      s.saveWorkflow(twoSteps('From the future'))
      return s.db.pragma('user_version', { simple: true }) as number
    })
    const raw = new Database(path)
    raw.pragma(`user_version = ${version + 5}`)
    raw.close()
    expect(() => new Store(path)).toThrow(/written by a newer Stepwise \(schema \d+, this one knows \d+\)\. Update Stepwise to open it\./)
    expect(() => new Store(path)).toThrow(`schema ${version + 5}, this one knows ${version}`)
    const check = new Database(path, { readonly: true })
    expect(check.pragma('user_version', { simple: true })).toBe(version + 5)
    expect(check.prepare('SELECT COUNT(*) AS n FROM workflows').get()).toEqual({ n: 1 })
    check.close()
  })
})

describe('workflows', () => {
  it('saves steps with their mappings and timeouts, replaces them on save, and cascades deletes to executions', () => {
    withStore(freshPath(), (s) => {
      const wf = s.saveWorkflow(twoSteps('Original'))
      expect(wf.steps.map((x) => [x.id, x.order, x.name])).toEqual([
        ['step-0', 0, 'First'],
        ['step-1', 1, 'Second']
      ])
      expect(wf.steps[1].input_mapping).toEqual({ x: 'a' })
      expect(wf.steps[1].timeout_seconds).toBe(2.5)
      const execId = finishedExecution(s, wf)
      const replaced = s.saveWorkflow({ ...twoSteps('Renamed'), id: wf.id, steps: [step(0, 'Only', 'print(1)')] })
      expect(replaced.created_at).toBe(wf.created_at)
      expect(replaced.steps.map((x) => x.name)).toEqual(['Only'])
      // The past execution keeps the code and names it ran with.
      expect(s.getExecution(execId).steps.map((x) => x.name)).toEqual(['First', 'Second'])
      expect(s.deleteWorkflow(wf.id)).toBe(true)
      expect(() => s.getWorkflow(wf.id)).toThrow(NotFoundError)
      expect(() => s.getExecution(execId)).toThrow(NotFoundError)
      expect(s.db.prepare('SELECT COUNT(*) AS n FROM step_runs').get()).toEqual({ n: 0 })
    })
  })

  it('listWorkflows searches names and descriptions, taking % and _ literally', () => {
    withStore(freshPath(), (s) => {
      for (const [name, description] of [
        ['100% done', ''],
        ['a_b report', ''],
        ['axb report', ''],
        ['Plain', 'mentions 뉴스 요약'],
        ['back\\slash', '']
      ]) {
        s.saveWorkflow(workflow(name, [], { description }))
      }
      const names = (q?: string): string[] =>
        s
          .listWorkflows(q)
          .map((w) => w.name)
          .sort()
      expect(names()).toHaveLength(5)
      expect(names('%')).toEqual(['100% done'])
      expect(names('_')).toEqual(['a_b report'])
      expect(names('a_b')).toEqual(['a_b report'])
      expect(names('report')).toEqual(['a_b report', 'axb report'])
      expect(names('REPORT')).toEqual(['a_b report', 'axb report'])
      expect(names('뉴스')).toEqual(['Plain'])
      expect(names('\\')).toEqual(['back\\slash'])
      expect(names('  ')).toHaveLength(5)
      expect(names('nothing like it')).toEqual([])
    })
  })

  it('a workflow summary carries its step count and last run', () => {
    withStore(freshPath(), (s) => {
      const wf = s.saveWorkflow(twoSteps('Counted'))
      expect(s.listWorkflows()[0]).toMatchObject({ step_count: 2, last_status: null, last_run_at: null })
      finishedExecution(s, wf, 'FAILED')
      expect(s.listWorkflows()[0]).toMatchObject({ step_count: 2, last_status: 'FAILED' })
    })
  })
})

describe('executions', () => {
  it('deleteExecutions removes finished runs with their step runs, never a RUNNING one', () => {
    withStore(freshPath(), (s) => {
      const wf = s.saveWorkflow(twoSteps('Runs'))
      const a = finishedExecution(s, wf)
      const b = finishedExecution(s, wf, 'FAILED')
      const keep = finishedExecution(s, wf)
      // RUNNING, and its runner (this process) is alive.
      const running = s.createExecution({
        workflow: wf,
        steps: wf.steps,
        initialVariables: new Map(),
        debug: false,
        workingDirectory: '/tmp',
        pythonPath: 'python3'
      })
      expect(s.deleteExecutions([a, b, running, 'no-such-id'])).toBe(2)
      expect(
        s
          .listExecutions()
          .map((e) => e.id)
          .sort()
      ).toEqual([keep, running].sort())
      expect(s.getExecution(running).status).toBe('RUNNING')
      const orphans = s.db.prepare('SELECT COUNT(*) AS n FROM step_runs WHERE execution_id IN (?, ?)').get(a, b)
      expect(orphans).toEqual({ n: 0 })
      expect(s.listExecutions(wf.id)).toHaveLength(2)
      expect(s.listExecutions('other-workflow')).toEqual([])
    })
  })
})

describe('settings', () => {
  it('start at the defaults, take partial updates, and survive reopening', () => {
    const path = freshPath()
    withStore(path, (s) => {
      expect(s.getSettings()).toEqual(DEFAULT_SETTINGS)
      const updated = s.updateSettings({ default_timeout_seconds: 42, language: 'ko', default_working_directory: '/tmp/작업 폴더' })
      expect(updated).toEqual({
        ...DEFAULT_SETTINGS,
        default_timeout_seconds: 42,
        language: 'ko',
        default_working_directory: '/tmp/작업 폴더'
      })
      s.updateSettings({ python_path: '/opt/py/bin/python3', language: null })
    })
    withStore(path, (s) => {
      expect(s.getSettings()).toEqual({
        ...DEFAULT_SETTINGS,
        default_timeout_seconds: 42,
        language: null,
        default_working_directory: '/tmp/작업 폴더',
        python_path: '/opt/py/bin/python3'
      })
    })
  })
})
