// Input that is too deep, too large, badly named or a bad path: refused with a message naming the field,
// through the same dispatchRequest the app's binder and the test bridge use, and in workflow files.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createRequestHandlers, dispatchRequest, importWorkflowFile, type RequestHandlers } from '../src/main/services/request-handlers'
import { exportStepScripts } from '../src/main/services/script-export'
import { openServices, type Services } from '../src/main/services/services'
import { parseWorkflowText } from '../src/main/services/workflow-file'
import { parseVariablesText } from '../src/renderer/src/lib/json-text'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { fakePlatform } from './helpers/platform'
import { step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

function nested(levels: number): unknown {
  let v: unknown = 1
  for (let i = 0; i < levels; i++) v = i % 2 ? { a: v } : [v]
  return v
}

let dir: string
let services: Services
let handlers: RequestHandlers
beforeEach(() => {
  dir = makeTempDir('stepwise-limits-')
  services = openServices({ dbPath: join(dir, 'db.sqlite'), tempRoot: dir })
  handlers = createRequestHandlers({
    store: services.store,
    runner: services.runner,
    platform: fakePlatform({
      locale: () => 'en-US',
      pickFolder: async () => dir
    })
  })
})
afterEach(() => services.close())

const call = (channel: string, params: unknown) => dispatchRequest(handlers, channel, params)
const fileText = (wf: object) => JSON.stringify(wf)
const oneStep = (extra: object = {}) => ({ name: 'Load', order: 0, step_type: 'PYTHON_SCRIPT', code: 'print("{}")', ...extra })

describe('a deeply nested payload', () => {
  it('is refused as INVALID_INPUT by dispatchRequest, not a stack overflow, and the next request is served', async () => {
    const wf = await call('workflows:create', { name: 'Deep' })
    expect(wf.ok).toBe(true)
    const id = (wf as { value: { id: string } }).value.id
    for (const params of [
      { workflow_id: id, variables: { x: nested(2000) } },
      { workflow_id: id, variables: { x: nested(100_000) } },
      nested(2000)
    ]) {
      const r = await call('runs:start', params)
      expect(r.ok).toBe(false)
      if (r.ok) return
      expect(r.error.code).toBe('INVALID_INPUT')
      expect(r.error.message).toMatch(/runs:start.*nests more than 110 levels deep/)
    }
    expect(services.store.listExecutions(id)).toEqual([])
    expect((await call('workflows:get', { id })).ok).toBe(true)
  })

  it('names where a value nests too deep when the request itself is shallow enough', async () => {
    const wf = await call('workflows:create', { name: 'Deep' })
    const id = (wf as { value: { id: string } }).value.id
    const r = await call('runs:start', { workflow_id: id, variables: { cfg: nested(105) } })
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(!r.ok && r.error.message).toMatch(/variables\.cfg.*: nests more than 100 levels deep/)
  })
})

describe('size caps name the field', () => {
  it('code over 1 MB, descriptions, names, paths and step counts in a workflow file', () => {
    const big = 'x = 1\n'.repeat(550_000) // 3.1 MB
    const cases: [object, RegExp][] = [
      [{ name: 'W', steps: [oneStep({ code: big })] }, /^steps\[0\] "Load"\.code is 3\.1 MB; the limit is 1 MB$/m],
      [{ name: 'W', description: 'd'.repeat(10_001), steps: [] }, /^description: a description may be at most 10,000 characters$/m],
      [{ name: 'W', steps: [oneStep({ description: 'd'.repeat(10_001) })] }, /^steps\[0\] "Load"\.description: /m],
      [{ name: 'W', steps: [oneStep({ name: 'n'.repeat(201) })] }, /^steps\[0\].*\.name: a name may be at most 200 characters$/m],
      [{ name: 'W', working_directory: `/${'a'.repeat(4100)}`, steps: [] }, /^working_directory: a path may be at most 4096 characters$/m],
      [{ name: 'W', python_path: `/${'a'.repeat(4100)}`, steps: [] }, /^python_path: a path may be at most 4096 characters$/m],
      [
        { name: 'W', steps: Array.from({ length: 1001 }, (_, i) => oneStep({ order: i })) },
        /^steps: a workflow may have at most 1000 steps$/m
      ],
      [{ name: 'W', variables: { ['v'.repeat(201)]: 1 }, steps: [] }, /a variable name may be at most 200 characters/],
      [{ name: 'W', variables: { blob: 'é'.repeat(5_300_000) }, steps: [] }, /^variables is 10\.1 MB; the limit is 10 MB \(as JSON\)$/m]
    ]
    for (const [wf, message] of cases) expect(() => parseWorkflowText(fileText(wf), 'w.json')).toThrow(message)
  })

  it('the same caps hold for a workflow saved from the window', async () => {
    const created = await call('workflows:create', { name: 'Caps' })
    const wf = (created as { value: { steps: { id: string }[] } }).value
    const r = await call('workflows:save', {
      workflow: { ...wf, steps: [{ ...wf.steps[0], code: 'y'.repeat(1024 * 1024 + 1) }] }
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(!r.ok && r.error.message).toMatch(/steps\[0\] "Step_1"\.code is 1,048,577 bytes; the limit is 1,048,576 bytes/)
  })

  it('a workflow file over 20 MB is refused before it is read (import; `stepwise run` in cli-input.test.ts)', async () => {
    const file = join(dir, 'padded.json')
    writeFileSync(file, `${fileText({ name: 'Padded', steps: [oneStep()] })}${' '.repeat(21 * 1024 * 1024)}`)
    await expect(importWorkflowFile(services.store, file)).rejects.toThrow(/the file is 21 MB; a workflow file may be at most 20 MB/)
  })
})

describe('paths', () => {
  it('settings refuse a NUL in the Python path and a relative default working folder', async () => {
    const nul = await call('settings:update', { patch: { python_path: '/usr/bin/python3\0evil' } })
    expect(nul).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(!nul.ok && nul.error.message).toMatch(/patch\.python_path: may not contain a NUL character/)
    const rel = await call('settings:update', { patch: { default_working_directory: 'reports' } })
    expect(rel).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(!rel.ok && rel.error.message).toMatch(/patch\.default_working_directory: must be a full path .* not "reports"/)
    expect(services.store.getSettings()).toMatchObject({ python_path: null, default_working_directory: null })
    for (const ok of ['C:\\Users\\김\\보고서', '/Users/me/Reports', '\\\\server\\share'])
      expect((await call('settings:update', { patch: { default_working_directory: ok } })).ok).toBe(true)
  })

  it("a workflow's working_directory and python_path are checked the same way", () => {
    expect(() => parseWorkflowText(fileText({ name: 'W', working_directory: './out', steps: [] }))).toThrow(
      /working_directory: must be a full path .* not "\.\/out"/
    )
    expect(() => parseWorkflowText(fileText({ name: 'W', python_path: 'python\u0000', steps: [] }))).toThrow(
      /python_path: may not contain a NUL character/
    )
    expect(parseWorkflowText(fileText({ name: 'W', working_directory: '', python_path: '', steps: [] }))).toMatchObject({
      working_directory: null,
      python_path: null
    })
  })
})

describe('names JavaScript objects reserve', () => {
  it('are refused as variable names, step ids and mapping names, naming where', () => {
    const cases: [string, RegExp][] = [
      ['{"name":"W","variables":{"__proto__":{"x":1}},"steps":[]}', /^variables\.__proto__: "__proto__" cannot be a variable name/m],
      ['{"name":"W","variables":{"constructor":1},"steps":[]}', /^variables\.constructor: "constructor" cannot be a variable name/m],
      [fileText({ name: 'W', steps: [oneStep({ id: 'prototype' })] }), /^steps\[0\] "Load"\.id: "prototype" cannot be a step id/m],
      [
        fileText({ name: 'W', steps: [oneStep({ input_mapping: { constructor: 'a' } })] }),
        /^steps\[0\] "Load"\.input_mapping\.constructor: "constructor" cannot be a mapping key/m
      ],
      [
        '{"name":"W","steps":[{"name":"Load","order":0,"step_type":"PYTHON_SCRIPT","code":"","output_mapping":{"__proto__":"x"}}]}',
        /output_mapping\.__proto__: "__proto__" cannot be a mapping key/
      ],
      [
        fileText({ name: 'W', steps: [oneStep({ output_mapping: { total: '__proto__' } })] }),
        /output_mapping\.total: "__proto__" cannot be a mapping value/
      ],
      [
        '{"name":"W","variables":{"cfg":{"list":[{"__proto__":1}]}},"steps":[]}',
        /^variables\.cfg\.list\[0\]\.__proto__: "__proto__" cannot be a key/m
      ]
    ]
    for (const [text, message] of cases) expect(() => parseWorkflowText(text, 'w.json')).toThrow(message)
  })

  it('initial variables typed in the window with a __proto__ key are refused with its path, not dropped', () => {
    const parsed = parseVariablesText('{"a": 1, "cfg": {"__proto__": {"admin": true}}}')
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.error).toMatch(/^cfg\.__proto__: "__proto__" cannot be a key/)
    expect(parseVariablesText('{"a": 1, "constructor_name": "x"}')).toEqual({ ok: true, value: { a: 1, constructor_name: 'x' } })
  })

  it('a run from the window with such a variable is refused, and nothing runs', async () => {
    const created = await call('workflows:create', { name: 'Proto' })
    const id = (created as { value: { id: string } }).value.id
    const r = await call('runs:start', { workflow_id: id, variables: JSON.parse('{"__proto__": {"x": 1}}') })
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(!r.ok && r.error.message).toMatch(/variables\.__proto__: "__proto__" cannot be a variable name/)
    expect(services.store.listExecutions(id)).toEqual([])
  })
})

describe('exported scripts of ids that clean up alike', () => {
  it('go to separate folders', async () => {
    const out = join(dir, 'out')
    mkdirSync(out)
    const wfs = ['rep/1', 'rep_1', 'rep:1'].map((id) =>
      services.store.saveWorkflow({ ...workflow(id, [step(0, 'Same', `print("${id}")`)]), id })
    )
    const results = []
    for (const wf of wfs) results.push(await exportStepScripts(wf, out))
    expect(new Set(results.map((r) => r.folder)).size).toBe(3)
    expect(results[1].folder).toBe(join(out, 'workflow_scripts', 'rep_1'))
    expect(results[0].folder).toMatch(/workflow_scripts[\\/]rep_1_[0-9a-f]{8}$/)
    const { readFileSync } = await import('node:fs')
    results.forEach((r, i) => expect(readFileSync(r.files[0], 'utf8')).toBe(`print("${wfs[i].id}")`))
  })
})
