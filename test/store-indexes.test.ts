// History and the execution-id prefix lookup must read an index, not the whole executions table: with
// 100,000 runs a full scan is what makes the history screen slow. The plans are checked on the SQL the
// store really issues (caught on its way to SQLite), with SQLite's own EXPLAIN QUERY PLAN.
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Store } from '../src/main/services/store'
import { prefixSuccessor } from '../src/main/services/store/executions'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, py, step, workflow, withStore } from './helpers/workflows'

afterAll(cleanupTempDirs)

interface Issued {
  sql: string
  args: unknown[]
}

/** Runs `fn` and returns the SELECTs on executions it ran, with their parameters. */
function capture(s: Store, fn: () => void): Issued[] {
  const issued: Issued[] = []
  const prepare = s.db.prepare.bind(s.db)
  s.db.prepare = ((sql: string) => {
    const statement = prepare(sql)
    const all = statement.all.bind(statement)
    statement.all = ((...args: unknown[]) => {
      issued.push({ sql, args })
      return all(...(args as []))
    }) as typeof statement.all
    return statement
  }) as typeof s.db.prepare
  try {
    fn()
  } finally {
    s.db.prepare = prepare as typeof s.db.prepare
  }
  return issued.filter((q) => /FROM executions/.test(q.sql))
}

function plan(s: Store, q: Issued): string[] {
  return (s.db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.args as [])) as { detail: string }[]).map((r) => r.detail)
}

function seed(s: Store): { a: string; b: string; runs: string[] } {
  const a = s.saveWorkflow(workflow('A', [step(0, 'One', py(emit('{}')))])).id
  const b = s.saveWorkflow(workflow('B', [step(0, 'One', py(emit('{}')))])).id
  const runs: string[] = []
  for (let i = 0; i < 6; i++) {
    runs.push(
      s.createExecution({
        workflow: s.getWorkflow(i % 2 ? b : a),
        steps: [],
        initialVariables: new Map(),
        debug: false,
        workingDirectory: '/tmp',
        pythonPath: '/usr/bin/python3'
      })
    )
  }
  // Two runs in the same millisecond: the later-inserted one still comes first.
  s.db.prepare(`UPDATE executions SET started_at = '2026-01-01T00:00:00.000Z' WHERE id IN (?, ?)`).run(runs[0], runs[2])
  return { a, b, runs }
}

describe('history newest first', () => {
  it('reads the started_at index backwards, over all workflows and per workflow, without sorting the table', () => {
    withStore(join(makeTempDir('stepwise-idx-'), 'stepwise.db'), (s) => {
      const { a, runs } = seed(s)
      let all: string[] = []
      let ofA: string[] = []
      const issued = capture(s, () => {
        all = s.listExecutions(undefined, 50).map((e) => e.id)
        ofA = s.listExecutions(a, 50).map((e) => e.id)
      })
      expect(all).toEqual([runs[5], runs[4], runs[3], runs[1], runs[2], runs[0]])
      expect(ofA).toEqual([runs[4], runs[2], runs[0]])
      expect(issued).toHaveLength(2)
      const [overAll, perWorkflow] = issued.map((q) => plan(s, q).join(' | '))
      expect(overAll).toMatch(/USING INDEX executions_by_started/)
      expect(perWorkflow).toMatch(/USING INDEX executions_by_workflow \(workflow_id=\?\)/)
      for (const p of [overAll, perWorkflow]) expect(p).not.toMatch(/TEMP B-TREE/)
    })
  })
})

describe('execution-id prefix lookup', () => {
  it('is a range search on the id index and finds exactly the ids that start with the prefix', () => {
    withStore(join(makeTempDir('stepwise-idx-'), 'stepwise.db'), (s) => {
      const { runs } = seed(s)
      const wf = s.getWorkflow(s.listWorkflows()[0].id)
      // Neighbours on both sides of the range "xb" .. "xc"; not hex, so no random execution id of seed() can match.
      for (const id of ['xa-1', 'xb', 'xb-1', 'xbz', 'xc', 'xc-1']) {
        s.db
          .prepare(
            `INSERT INTO executions (id, workflow_id, workflow_name, status, initial_variables, variables, started_at, working_directory, python_path)
             VALUES (?, ?, 'A', 'SUCCESS', '{}', '{}', '2026-01-01T00:00:00.000Z', '/tmp', '/usr/bin/python3')`
          )
          .run(id, wf.id)
      }
      let found: string[] = []
      const issued = capture(s, () => (found = s.executionsByIdPrefix('xb').map((e) => e.id)))
      expect(found.sort()).toEqual(['xb', 'xb-1', 'xbz'])
      expect(plan(s, issued[0]).join(' | ')).toMatch(
        /SEARCH executions USING (COVERING )?INDEX sqlite_autoindex_executions_1 \(id>\? AND id<\?\)/
      )
      expect(s.executionsByIdPrefix(runs[3].slice(0, 8)).map((e) => e.id)).toEqual([runs[3]])
      expect(s.executionsByIdPrefix(runs[3])).toEqual([{ id: runs[3], status: 'RUNNING', debug: false }])
      expect(s.executionsByIdPrefix('zz')).toEqual([])
    })
  })

  it('the upper end of the range is the prefix with its last character raised', () => {
    expect(prefixSuccessor('ab')).toBe('ac')
    expect(prefixSuccessor('3f9')).toBe('3f:')
    expect(prefixSuccessor('a\uffff')).toBe('b')
    expect(prefixSuccessor('')).toBeNull()
  })
})
