// Exported step scripts: names that are valid file names everywhere, the code byte for byte, no stale files.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Workflow } from '../src/shared/model'
import { safeFileName, stepFileStem } from '../src/main/services/file-names'
import { exportStepScripts } from '../src/main/services/script-export'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, loadExample, py, step } from './helpers/workflows'

afterAll(cleanupTempDirs)

function asWorkflow(id: string, steps: Workflow['steps']): Workflow {
  return {
    id,
    name: 'Export me',
    description: '',
    variables: {},
    working_directory: null,
    python_path: null,
    steps,
    on_failure: [],
    env: {},
    clean_env: false,
    requirements: [],
    created_at: '',
    updated_at: ''
  }
}

describe('safeFileName and stepFileStem', () => {
  it.each([
    ['CON', '_CON'],
    ['con', '_con'],
    ['nul.txt', '_nul.txt'],
    ['COM1', '_COM1'],
    ['LPT9.log', '_LPT9.log'],
    ['aux.tar.gz', '_aux.tar.gz'],
    ['CONSOLE', 'CONSOLE'],
    ['nullable', 'nullable']
  ])('Windows reserved name %j → %j', (name, expected) => {
    expect(safeFileName(name)).toBe(expected)
  })

  it('replaces each of <>:"/\\|?* and control characters', () => {
    expect(safeFileName('<>:"/\\|?*')).toBe('_________')
    expect(safeFileName('a<b>c:d"e/f\\g|h?i*j')).toBe('a_b_c_d_e_f_g_h_i_j')
    expect(safeFileName('tab\there\u0001')).toBe('tab_here_')
    expect(safeFileName('../../etc/passwd')).not.toContain('/')
  })

  it('drops trailing dots and never returns an empty or dots-only name', () => {
    expect(safeFileName('report...')).toBe('report')
    expect(safeFileName('report.')).toBe('report')
    expect(safeFileName('report  ')).toBe('report')
    expect(safeFileName('report. . ')).toBe('report')
    expect(safeFileName('...')).toBe('untitled')
    expect(safeFileName('')).toBe('untitled')
    expect(safeFileName('   ', 'step')).not.toMatch(/^[. ]*$/)
  })

  it('keeps Korean (in composed form) and turns spaces into underscores', () => {
    expect(safeFileName('보고서 저장')).toBe('보고서_저장')
    expect(safeFileName('보고서 저장'.normalize('NFD'))).toBe('보고서_저장')
    expect(safeFileName('뉴스 요약 📰')).toBe('뉴스_요약_📰')
  })

  it('limits the length without ending in a dot', () => {
    const long = safeFileName(`${'가'.repeat(79)}.x`)
    expect(long.length).toBeLessThanOrEqual(80)
    expect(long).not.toMatch(/\.$/)
  })

  it('stepFileStem is step_<order>_<safe name>', () => {
    expect(stepFileStem(0, 'Fetch_Data')).toBe('step_0_Fetch_Data')
    expect(stepFileStem(2, '보고서 저장')).toBe('step_2_보고서_저장')
    expect(stepFileStem(3, 'a/b: c?')).toBe('step_3_a_b__c_')
    expect(stepFileStem(4, '')).toBe('step_4_step')
    // The step_<n>_ prefix already keeps a step called CON clear of the device name.
    expect(stepFileStem(0, 'CON')).toBe('step_0_CON')
    expect(stepFileStem(5, 'end. ')).toBe('step_5_end')
    expect(stepFileStem(6, '보고서 저장')).toBe('step_6_보고서_저장')
  })
})

describe('exportStepScripts', () => {
  it('writes workflow_scripts/<workflow_id>/step_<order>_<name>.py for the reference example; each runs by hand', async () => {
    const dir = makeTempDir('stepwise-export-')
    const example = loadExample()
    const wf = asWorkflow('wf-123', example.steps)
    const result = await exportStepScripts(wf, dir)
    expect(result.folder).toBe(join(dir, 'workflow_scripts', 'wf-123'))
    expect(result.files).toEqual(
      ['step_0_Fetch_Data.py', 'step_1_Process_Data.py', 'step_2_Save_Data.py'].map((f) => join(result.folder, f))
    )
    expect(readdirSync(result.folder).sort()).toEqual(['step_0_Fetch_Data.py', 'step_1_Process_Data.py', 'step_2_Save_Data.py'])
    result.files.forEach((f, i) => expect(readFileSync(f, 'utf8')).toBe(example.steps[i].code))

    // The reference's manual check: run an exported script with a variables file of your own.
    const vars = join(dir, 'test_vars.json')
    writeFileSync(vars, JSON.stringify({ input: [{ id: 7 }] }))
    const r = spawnSync(PYTHON, [result.files[1], '--variables-file', vars], { cwd: dir, encoding: 'utf8' })
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({ status: 'success', result: [{ id: 7, processed: true }], count: 1 })
  })

  it('writes the code exactly: CRLF, Korean, emoji and no trailing newline kept byte for byte', async () => {
    const dir = makeTempDir('stepwise-export-')
    const code = '# -*- coding: utf-8 -*-\r\nimport sys\r\nprint("안녕 👋", file=sys.stderr)\r\n\r\nprint("{}")'
    const { files } = await exportStepScripts(asWorkflow('bytes', [step(0, '보고서 저장', code)]), dir)
    expect(files).toEqual([join(dir, 'workflow_scripts', 'bytes', 'step_0_보고서_저장.py')])
    expect(readFileSync(files[0]).equals(Buffer.from(code, 'utf8'))).toBe(true)
  })

  it('removes the file of a step renamed or removed since the last export, and leaves other files alone', async () => {
    const dir = makeTempDir('stepwise-export-')
    const first = await exportStepScripts(
      asWorkflow('renames', [step(0, 'Fetch', py(emit('{}'))), step(1, 'Process', py(emit('{}'))), step(2, 'Save', py(emit('{}')))]),
      dir
    )
    writeFileSync(join(first.folder, 'notes.txt'), 'mine')
    writeFileSync(join(first.folder, 'helper.py'), 'x = 1\n')
    const second = await exportStepScripts(
      asWorkflow('renames', [step(0, 'Fetch', py(emit('{}'))), step(1, 'Transform', 'print("new")\n')]),
      dir
    )
    expect(readdirSync(second.folder).sort()).toEqual(['helper.py', 'notes.txt', 'step_0_Fetch.py', 'step_1_Transform.py'])
    expect(readFileSync(join(second.folder, 'step_1_Transform.py'), 'utf8')).toBe('print("new")\n')
    expect(existsSync(join(second.folder, 'step_1_Process.py'))).toBe(false)
  })

  it('a workflow id that is not a safe folder name stays inside workflow_scripts', async () => {
    const dir = makeTempDir('stepwise-export-')
    mkdirSync(join(dir, 'outside'))
    const { folder } = await exportStepScripts(asWorkflow('../outside', [step(0, 'A', 'print(1)\n')]), dir)
    expect(folder.startsWith(join(dir, 'workflow_scripts'))).toBe(true)
    expect(readdirSync(join(dir, 'outside'))).toEqual([])
  })
})
