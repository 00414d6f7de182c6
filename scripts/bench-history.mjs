// History and id-prefix lookup against a database of many executions (issue 9: newest 50 of 100,000 in
// ≤ 20 ms, a prefix lookup in ≤ 5 ms). Bundles the real store (src/main/services/store) with Vite so the
// figures are those of the code that ships, fills a fresh database in one transaction, and times the calls.
import Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'vite'

/** Builds the store into `dir` (inside the checkout, where better-sqlite3 resolves) and returns its module. */
async function loadStore(root, dir) {
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: join(root, 'src/main/services/store/index.ts'),
      outDir: dir,
      emptyOutDir: true,
      target: 'node20',
      rollupOptions: { output: { format: 'esm', entryFileNames: 'store.mjs' } }
    },
    ssr: { external: ['better-sqlite3'] }
  })
  return import(pathToFileURL(join(dir, 'store.mjs')).href)
}

/** Inserts `count` finished executions spread over 20 workflows, a minute apart, in one transaction. */
function fill(path, count) {
  const db = new Database(path)
  const started = process.hrtime.bigint()
  const workflows = Array.from({ length: 20 }, (_, i) => `wf-${i}`)
  const at = '2026-01-01T00:00:00.000Z'
  db.transaction(() => {
    const wf = db.prepare(`INSERT INTO workflows (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)`)
    for (const id of workflows) wf.run(id, id, at, at)
    const ex = db.prepare(
      `INSERT INTO executions (id, workflow_id, workflow_name, status, initial_variables, variables, started_at, completed_at,
         working_directory, python_path) VALUES (?, ?, ?, 'SUCCESS', '{}', '{}', ?, ?, '/tmp', '/usr/bin/python3')`
    )
    const base = Date.parse(at)
    for (let i = 0; i < count; i++) {
      const w = workflows[i % workflows.length]
      ex.run(randomUUID(), w, w, new Date(base + i * 60_000).toISOString(), new Date(base + i * 60_000 + 900).toISOString())
    }
  })()
  db.close()
  return Number(process.hrtime.bigint() - started) / 1e6
}

/** Median milliseconds of `times` calls of fn (after one warm-up call). */
function time(fn, times = 21) {
  fn()
  const ms = []
  for (let i = 0; i < times; i++) {
    const t = process.hrtime.bigint()
    fn()
    ms.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  return ms.sort((a, b) => a - b)[Math.floor(times / 2)]
}

/** Rows for the bench table: [what, value, note]. */
export async function historyFigures(root, dir, count) {
  const { Store } = await loadStore(root, join(root, 'out', 'bench'))
  const path = join(dir, 'history.db')
  new Store(path).close()
  const fillMs = fill(path, count)
  const store = new Store(path)
  try {
    const some = store.listExecutions(undefined, 1000)
    const prefixes = some.slice(0, 21).map((e) => e.id.slice(0, 8))
    let p = 0
    const n = count.toLocaleString('en')
    const newest = time(() => store.listExecutions(undefined, 50))
    const perWorkflow = time(() => store.listExecutions('wf-7', 50))
    const prefix = time(() => store.executionsByIdPrefix(prefixes[p++ % prefixes.length]))
    const scan = time(() => store.db.prepare(`SELECT id FROM executions WHERE substr(id, 1, 8) = ?`).all(prefixes[0]), 5)
    return [
      [
        `history: newest 50 of ${n} executions`,
        `${newest.toFixed(2)} ms`,
        `target ≤ 20 ms; filled in one transaction in ${fillMs.toFixed(0)} ms`
      ],
      [`history of one workflow: newest 50`, `${perWorkflow.toFixed(2)} ms`, `${(count / 20).toLocaleString('en')} runs of that workflow`],
      [`execution-id prefix lookup (8 chars)`, `${prefix.toFixed(3)} ms`, `target ≤ 5 ms; a substr() scan takes ${scan.toFixed(1)} ms`]
    ]
  } finally {
    store.close()
  }
}
