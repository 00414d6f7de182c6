// Workflow files: the reference's JSON read with validation that names the field and the step, and
// nothing stored when a file is bad.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importWorkflowFile } from '../src/main/services/request-handlers'
import { Store } from '../src/main/services/store'
import { parseWorkflowText, workflowToFile, WorkflowFileError } from '../src/main/services/workflow-file'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { EXAMPLE_PATH } from './helpers/workflows'

let dir: string
let store: Store
beforeAll(() => {
  dir = makeTempDir('stepwise-wf-file-')
  store = new Store(join(dir, 'stepwise.db'))
})
afterAll(() => {
  store.close()
  cleanupTempDirs()
})

// The example as the reference writes it: no ids.
type FileStep = Record<string, unknown>
const exampleFile = (): { name?: string; steps: FileStep[] } => JSON.parse(readFileSync(EXAMPLE_PATH, 'utf8'))

/** Each bad file, and what its message must contain. */
const BAD_FILES: { what: string; text: () => string; expect: (string | RegExp)[] }[] = [
  { what: 'not JSON', text: () => '{ "name": "half a file", "steps": [', expect: ['it is not JSON'] },
  {
    what: 'no name',
    text: () => {
      const f = exampleFile()
      delete f.name
      return JSON.stringify(f)
    },
    expect: [/^name: /m]
  },
  {
    what: 'a step without code',
    text: () => {
      const f = exampleFile()
      delete f.steps[1].code
      return JSON.stringify(f)
    },
    expect: ['steps[1] "Process_Data".code']
  },
  {
    what: 'a wrong step_type',
    text: () => {
      const f = exampleFile()
      f.steps[1].step_type = 'SHELL_SCRIPT'
      return JSON.stringify(f)
    },
    expect: ['steps[1] "Process_Data".step_type: must be one of PYTHON_SCRIPT']
  },
  {
    what: 'a duplicate order',
    text: () => {
      const f = exampleFile()
      f.steps[1].order = 0
      return JSON.stringify(f)
    },
    expect: ['steps[1] "Process_Data".order: 0 is already the order of steps[0] "Fetch_Data"']
  },
  {
    what: 'duplicate ids',
    text: () => {
      const f = exampleFile()
      f.steps[0].id = 'fetch'
      f.steps[1].id = 'fetch'
      return JSON.stringify(f)
    },
    expect: ['steps[1] "Process_Data".id: "fetch" is already the id of steps[0] "Fetch_Data"']
  },
  {
    what: 'depends_on an unknown id',
    text: () => {
      const f = exampleFile()
      f.steps[1].depends_on = ['step-0', 'fetch-data']
      return JSON.stringify(f)
    },
    expect: ['steps[1] "Process_Data".depends_on', '"fetch-data"']
  },
  {
    what: 'a cycle',
    text: () => {
      const f = exampleFile()
      f.steps.forEach((s, i) => (s.id = `s${i}`))
      f.steps[0].depends_on = ['s2']
      f.steps[1].depends_on = ['s0']
      f.steps[2].depends_on = ['s1']
      return JSON.stringify(f)
    },
    expect: ['steps[0] "Fetch_Data".depends_on', 'circle', 'Fetch_Data → Save_Data → Process_Data → Fetch_Data']
  },
  {
    what: 'a mapping value that is not a name',
    text: () => {
      const f = exampleFile()
      f.steps[2].input_mapping = { data_to_save: 3 }
      return JSON.stringify(f)
    },
    expect: ['steps[2] "Save_Data".input_mapping.data_to_save']
  }
]

describe('reading a workflow file', () => {
  it('reads the reference example, giving steps without ids readable ids in order', () => {
    const wf = parseWorkflowText(readFileSync(EXAMPLE_PATH, 'utf8'), EXAMPLE_PATH)
    expect(wf.name).toBe('Fetch, process, save (reference example)')
    expect(wf.steps.map((s) => [s.id, s.order, s.name, s.step_type])).toEqual([
      ['step-0', 0, 'Fetch_Data', 'PYTHON_SCRIPT'],
      ['step-1', 1, 'Process_Data', 'PYTHON_SCRIPT'],
      ['step-2', 2, 'Save_Data', 'PYTHON_SCRIPT']
    ])
    expect(wf.steps[1]).toMatchObject({
      input_mapping: { input: 'fetched_data' },
      output_mapping: { processed_data: 'result' },
      timeout_seconds: null,
      depends_on: null
    })
    expect(wf.variables).toEqual({})
  })

  it('accepts a UTF-8 BOM, steps out of order and explicit ids that clash with generated ones', () => {
    const f = exampleFile()
    f.steps.reverse()
    f.steps[0].id = 'step-0' // Save_Data (order 2) takes the id the first step would get
    const wf = parseWorkflowText(`\uFEFF${JSON.stringify(f)}`)
    expect(wf.steps.map((s) => s.name)).toEqual(['Fetch_Data', 'Process_Data', 'Save_Data'])
    expect(new Set(wf.steps.map((s) => s.id)).size).toBe(3)
    expect(wf.steps[2].id).toBe('step-0')
  })

  it('workflowToFile gives a file that reads back as the same workflow', () => {
    const saved = store.saveWorkflow({
      ...parseWorkflowText(readFileSync(EXAMPLE_PATH, 'utf8')),
      variables: { 도시: '서울' },
      working_directory: '/tmp/작업',
      env: { API_KEY: { secret: 'API_TOKEN' }, MODE: '테스트' },
      clean_env: true
    })
    const back = parseWorkflowText(JSON.stringify(workflowToFile(saved)))
    expect(back).toEqual({
      id: saved.id,
      name: saved.name,
      description: saved.description,
      variables: saved.variables,
      working_directory: saved.working_directory,
      python_path: null,
      steps: saved.steps,
      on_failure: [],
      requirements: [],
      env: { API_KEY: { secret: 'API_TOKEN' }, MODE: '테스트' },
      clean_env: true
    })
    store.deleteWorkflow(saved.id)
  })

  describe.each(BAD_FILES)('refuses $what', ({ text, expect: parts }) => {
    it('with a message naming the file, the field and the step; nothing is stored', async () => {
      const file = join(dir, `bad ${Math.random().toString(36).slice(2)}.json`)
      writeFileSync(file, text(), 'utf8')
      const before = store.listWorkflows()
      const err = await importWorkflowFile(store, file).then(
        () => null,
        (e: unknown) => e
      )
      expect(err).toBeInstanceOf(WorkflowFileError)
      const message = (err as Error).message
      expect(message.startsWith(`${file} is not a valid workflow:\n`)).toBe(true)
      for (const part of parts) {
        if (typeof part === 'string') expect(message).toContain(part)
        else expect(message).toMatch(part)
      }
      expect(store.listWorkflows()).toEqual(before)
    })
  })

  it('a file that does not exist is refused by name', async () => {
    await expect(importWorkflowFile(store, join(dir, 'nope.json'))).rejects.toThrow(`${join(dir, 'nope.json')} is not a valid workflow`)
  })
})
