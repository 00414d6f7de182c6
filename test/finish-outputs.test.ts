// Issue 14 item 4: after a run, the files it created or changed in its working folder, recorded on the
// execution; only those (and the folder) may be opened, documents with the OS and never a script.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { changedFiles, MAX_ENTRIES, snapshotFolder } from '../src/main/services/outputs/snapshot'
import { createRequestHandlers, dispatchRequest, type RequestHandlers } from '../src/main/services/request-handlers'
import type { Store } from '../src/main/services/store'
import type { WorkflowRunner } from '../src/main/services/engine'
import { PYTHON } from './helpers/python'
import { fakePlatform } from './helpers/platform'
import { emit, openRealServices, py, step, workflow } from './helpers/workflows'

let dir: string
let work: string
let store: Store
let runner: WorkflowRunner
let handlers: RequestHandlers
const osOpened: string[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stepwise-outputs-'))
  work = join(dir, '작업 폴더')
  mkdirSync(join(work, 'sub', 'deeper', 'deepest'), { recursive: true })
  ;({ store, runner } = openRealServices(dir))
  osOpened.length = 0
  handlers = createRequestHandlers({
    store,
    runner,
    platform: fakePlatform({
      openPath: async (p) => void osOpened.push(p),
      openInEditor: async () => 'editor'
    })
  })
})
afterEach(() => {
  runner.dispose()
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

it('records the files a run created or changed, not the ones it left alone, and opens them safely', async () => {
  writeFileSync(join(work, 'untouched.csv'), 'a,b\n')
  writeFileSync(join(work, 'report.csv'), 'old\n')
  const past = new Date(Date.now() - 3_600_000)
  utimesSync(join(work, 'report.csv'), past, past)
  const code = py(
    "open('report.csv', 'w', encoding='utf-8').write('new, longer\\n')",
    "open(os.path.join('sub', '보고서.txt'), 'w', encoding='utf-8').write('월간')",
    "open(os.path.join('sub', 'deeper', 'make.py'), 'w').write('print(1)')",
    "open(os.path.join('sub', 'deeper', 'deepest', 'too-deep.txt'), 'w').write('x')",
    emit('{}')
  )
  const wf = store.saveWorkflow(workflow('Outputs', [step(0, 'Write', code)], { working_directory: work }))
  const execution = await (await runner.start(wf.id, { python: PYTHON })).done
  expect(execution.status).toBe('SUCCESS')

  const recorded = store.getExecution(execution.id).output_files!
  expect(recorded.truncated).toBe(false)
  const byPath = Object.fromEntries(recorded.files.map((f) => [f.path, f]))
  expect(Object.keys(byPath).sort()).toEqual(
    [join(work, 'report.csv'), join(work, 'sub', '보고서.txt'), join(work, 'sub', 'deeper', 'make.py')].sort()
  )
  expect(byPath[join(work, 'report.csv')]).toMatchObject({ change: 'changed', size: 12 })
  expect(byPath[join(work, 'sub', '보고서.txt')]).toMatchObject({ change: 'created', size: 6 })

  // A document opens with the OS; a script a run wrote never does, but it can be read in the app.
  expect((await dispatchRequest(handlers, 'shell:openPath', { path: join(work, 'report.csv') })).ok).toBe(true)
  expect(osOpened).toEqual([join(work, 'report.csv')])
  expect((await dispatchRequest(handlers, 'shell:openPath', { path: join(work, 'sub', 'deeper', 'make.py') })).ok).toBe(false)
  const read = await dispatchRequest(handlers, 'shell:readKeptFile', { path: join(work, 'sub', 'deeper', 'make.py') })
  expect(read.ok && (read.value as { text: string }).text).toBe('print(1)')
  // A file in the folder the run did not write is not the app's to open; the folder itself is.
  expect((await dispatchRequest(handlers, 'shell:openPath', { path: join(work, 'untouched.csv') })).ok).toBe(false)
  expect((await dispatchRequest(handlers, 'shell:openPath', { path: work })).ok).toBe(true)
})

it('stops noting a huge folder at the bound and says so', async () => {
  const big = join(dir, 'big')
  mkdirSync(big)
  for (let i = 0; i < MAX_ENTRIES + 10; i++) writeFileSync(join(big, `f${String(i).padStart(5, '0')}.txt`), '')
  const before = await snapshotFolder(big)
  expect(before.truncated).toBe(true)
  expect(before.files.size).toBe(MAX_ENTRIES)
  writeFileSync(join(big, 'a-new.txt'), 'x')
  expect(changedFiles(before, await snapshotFolder(big))).toMatchObject({ truncated: true, files: [{ change: 'created' }] })
})
