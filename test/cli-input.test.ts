// What the CLI accepts and prints: escape sequences from names, errors and logs neutralized, reserved --var
// names and oversized files refused, script folders that never collide. Real subprocesses, real Python.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withStore, workflow, step, py, emit } from './helpers/workflows'
import { ensureCliBuilt, runCli } from './helpers/cli'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'

let dir: string
let db: string
beforeAll(async () => {
  await ensureCliBuilt()
  dir = makeTempDir('stepwise-cli-input-')
  db = join(dir, 'cli.db')
}, 120_000)
afterAll(cleanupTempDirs)

let n = 0
function file(content: object | string): string {
  const p = join(dir, `wf-${++n}.json`)
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content))
  return p
}
const ESC = '\u001b'

describe('terminal output', () => {
  it('shows escape sequences in names, errors and logs as text instead of sending them to the terminal', async () => {
    const wf = file(
      workflow(`Report${ESC}]0;pwned\u0007`, [
        step(0, `Load${ESC}[2J`, py(`print('${'\\x1b'}[31mred log', file=sys.stderr)`, emit('{"a": 1}'))),
        step(1, 'Fail\u202eexe.txt', py(`sys.stderr.write('boom ${'\\x1b'}[8mhidden\\n')`, 'sys.exit(3)'))
      ])
    )
    const r = await runCli(['run', wf, '--db', db, '--python', PYTHON, '--workdir', dir])
    expect(r.code).toBe(1)
    const all = r.stdout + r.stderr
    // eslint-disable-next-line no-control-regex
    expect(all).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/)
    expect(r.stderr).toContain('▶ Load\\x1b[2J')
    expect(r.stderr).toContain('│ \\x1b[31mred log')
    expect(r.stderr).toContain('Fail\\u202eexe.txt')
    expect(r.stdout).toContain('boom \\x1b[8mhidden')

    const list = await runCli(['list', '--db', db])
    expect(list.stdout).toContain('Report\\x1b]0;pwned\\x07')
    // --json stays JSON: the name comes back exactly.
    const json = await runCli(['list', '--db', db, '--json'])
    expect(JSON.parse(json.stdout)[0].name).toBe(`Report${ESC}]0;pwned\u0007`)
  })
})

describe('input the CLI refuses', () => {
  it('--var with a name JavaScript objects reserve, instead of dropping it', async () => {
    const wf = file(workflow('Vars', [step(0, 'Echo', py(emit('variables')))]))
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const r = await runCli(['run', wf, '--db', db, '--python', PYTHON, '--workdir', dir, '--var', `${name}={"x":1}`])
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(`--var ${name}: "${name}" cannot be a variable name`)
    }
  })

  it('a workflow file over 20 MB, for run as for import', async () => {
    const padded = file(`${JSON.stringify(workflow('Padded', [step(0, 'A', py(emit('{}')))]))}${' '.repeat(21 * 1024 * 1024)}`)
    for (const args of [
      ['run', padded, '--python', PYTHON, '--workdir', dir],
      ['import', padded]
    ]) {
      const r = await runCli([...args, '--db', db])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/the file is 21 MB; a workflow file may be at most 20 MB/)
    }
  })
})

describe('export-scripts', () => {
  it('puts workflows whose ids clean up alike in separate folders and prints each folder', async () => {
    withStore(db, (s) => {
      for (const id of ['rep/1', 'rep_1']) s.saveWorkflow({ ...workflow(id, [step(0, 'Same', `print("${id}")`)]), id })
    })
    const out = join(dir, 'scripts')
    const a = await runCli(['export-scripts', 'rep/1', '--db', db, '--dir', out])
    const b = await runCli(['export-scripts', 'rep_1', '--db', db, '--dir', out])
    expect([a.code, b.code]).toEqual([0, 0])
    const folderA = a.stdout.split('\n')[0]
    const folderB = b.stdout.split('\n')[0]
    expect(folderB).toBe(join(out, 'workflow_scripts', 'rep_1'))
    expect(folderA).toMatch(/workflow_scripts[\\/]rep_1_[0-9a-f]{8}$/)
    const { readFileSync } = await import('node:fs')
    expect(readFileSync(join(folderA, 'step_0_Same.py'), 'utf8')).toBe('print("rep/1")')
    expect(readFileSync(join(folderB, 'step_0_Same.py'), 'utf8')).toBe('print("rep_1")')
  })
})
