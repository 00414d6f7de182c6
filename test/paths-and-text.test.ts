// Windows users' folders and files: spaces and Korean letters in working and temp folders, code saved
// with CRLF line ends, names Windows reserves. Everything runs real Python on real files.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { exportStepScripts } from '../src/main/services/script-export'
import { Store } from '../src/main/services/store'
import { WorkflowRunner } from '../src/main/services/engine'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, py, saveAndRun, step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

function servicesIn(root: string) {
  const tempRoot = join(root, '임시 파일 (temp)')
  mkdirSync(tempRoot, { recursive: true })
  const store = new Store(join(root, '데이터 베이스', 'stepwise.db'))
  return { store, runner: new WorkflowRunner(store, { tempRoot }), tempRoot }
}

describe('paths with spaces and Korean letters', () => {
  it('runs in such a working folder, keeps debug files in such a temp folder, and they re-run by hand', async () => {
    const root = makeTempDir('stepwise 경로 테스트 ')
    const services = servicesIn(root)
    const workdir = join(root, '내 작업 폴더', 'report output')
    mkdirSync(workdir, { recursive: true })
    const code = py(
      "with open('결과 보고서.txt', 'w', encoding='utf-8') as f: f.write(variables['제목'])",
      "print('저장: ' + os.path.abspath('결과 보고서.txt'), file=sys.stderr)",
      emit("{'cwd': os.getcwd(), 'file': '결과 보고서.txt'}")
    )
    const execution = await saveAndRun(services, workflow('경로', [step(0, '보고서 저장', code)]), {
      workingDirectory: workdir,
      debug: true,
      variables: { 제목: '월간 보고서 📊' }
    })
    expect(execution.status).toBe('SUCCESS')
    expect(readFileSync(join(workdir, '결과 보고서.txt'), 'utf8')).toBe('월간 보고서 📊')
    const run = execution.steps[0]
    expect(run.output).toEqual({ cwd: workdir, file: '결과 보고서.txt' })
    expect(run.logs).toContain(`저장: ${join(workdir, '결과 보고서.txt')}`)

    // The kept files sit in the per-execution folder inside the temp root, under the step's readable name.
    expect(run.script_path!.startsWith(services.tempRoot)).toBe(true)
    expect(run.script_path!.endsWith('step_1_보고서_저장.py')).toBe(true)
    const byHand = execFileSync(PYTHON, [run.script_path!, '--variables-file', run.variables_path!], { cwd: workdir, encoding: 'utf8' })
    expect(JSON.parse(byHand)).toEqual(run.output)
    services.store.close()
  })

  it('removes its per-execution temp folder afterwards when debug mode is off', async () => {
    const root = makeTempDir('stepwise 정리 ')
    const services = servicesIn(root)
    const execution = await saveAndRun(services, workflow('정리', [step(0, '한 단계', py(emit("{'ok': True}")))]), {
      workingDirectory: root
    })
    expect(execution.status).toBe('SUCCESS')
    expect(execution.steps[0].script_path).toBeNull()
    expect(readdirSync(services.tempRoot)).toEqual([])
    services.store.close()
  })
})

describe('code saved with CRLF line ends', () => {
  it('runs, and a traceback names the same line numbers the editor shows', async () => {
    const root = makeTempDir('stepwise-crlf-')
    const services = servicesIn(root)
    const lines = ['import sys', 'print("line two", file=sys.stderr)', 'x = 1', 'raise ValueError("실패: 네 번째 줄")']
    const execution = await saveAndRun(services, workflow('crlf', [step(0, 'crlf', lines.join('\r\n') + '\r\n')]), {
      workingDirectory: root,
      debug: true
    })
    expect(execution.status).toBe('FAILED')
    const run = execution.steps[0]
    expect(run.logs).toContain('line two\n')
    expect(run.logs).not.toContain('\r')
    expect(run.error).toMatch(/step_1_crlf\.py", line 4/)
    expect(run.error).toContain('ValueError: 실패: 네 번째 줄')
    // The kept script is byte for byte what was saved.
    expect(readFileSync(run.script_path!, 'utf8')).toBe(lines.join('\r\n') + '\r\n')
    services.store.close()
  })
})

describe('names Windows reserves', () => {
  it('exports steps named like devices under names Windows can open', async () => {
    const dir = makeTempDir('stepwise-export-')
    const names = ['CON', 'nul.txt', 'COM1', 'aux', 'report?', 'end. ']
    const wf = new Store(':memory:').saveWorkflow(
      workflow(
        'reserved',
        names.map((n, i) => step(i, n, `# ${n}\n`))
      )
    )
    const { files } = await exportStepScripts(wf, dir)
    const base = files.map((f) => f.split(/[\\/]/).pop())
    expect(base).toEqual(['step_0_CON.py', 'step_1_nul.txt.py', 'step_2_COM1.py', 'step_3_aux.py', 'step_4_report_.py', 'step_5_end.py'])
    for (const [i, f] of files.entries()) expect(readFileSync(f, 'utf8')).toBe(`# ${names[i]}\n`)
    expect(existsSync(join(dir, 'workflow_scripts', wf.id))).toBe(true)
  })
})
