// A workflow's env in the engine, with real Python and a real SQLite file: literals and secrets reach the
// step (cold or in a spare interpreter), the clean-environment option, and nothing of a secret in the
// database or its live WAL while the store is still open.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { SecretStore } from '../src/main/services/secrets'
import { stepEnvironment } from '../src/main/services/engine/step-env'
import { normalizeWorkflow } from '../src/main/services/workflow-file'
import type { WorkflowRunner } from '../src/main/services/engine'
import type { Store } from '../src/main/services/store'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { openRealServices, py, saveAndRun, step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

const SECRET = 'wal-secret-"\\-비밀-0f3a9c'
const SHA = createHash('sha256').update(SECRET, 'utf8').digest('hex')
let open: { store: Store; runner: WorkflowRunner; dbPath: string } | null = null
afterEach(() => {
  open?.runner.dispose()
  open?.store.close()
  open = null
})

async function services() {
  const dir = makeTempDir('stepwise-env-')
  const base = openRealServices(dir)
  base.runner.dispose()
  const { WorkflowRunner } = await import('../src/main/services/engine')
  const secrets = new SecretStore(base.dbPath, { env: { STEPWISE_SECRET_KEY: 'engine-test-key-0123456789' } })
  await secrets.set('TOKEN', SECRET)
  await secrets.set('UNUSED', 'unused-secret-value')
  open = { ...base, runner: new WorkflowRunner(base.store, { tempRoot: base.tempRoot, secrets }) }
  return open
}

const dumpEnv = py('print(json.dumps({"env": dict(os.environ)}))')

describe('workflow env', () => {
  it('literals and named secrets reach every step, cold and in a spare; no other secret does; the live WAL never holds it', async () => {
    const s = await services()
    const steps = [0, 1, 2].map((i) =>
      step(
        i,
        `S${i}`,
        py(
          'import hashlib',
          'v = os.environ.get("TOKEN_VAR", "")',
          `got = hashlib.sha256(v.encode()).hexdigest() == ${JSON.stringify(SHA)}`,
          'unused = any("unused-secret" in x for x in os.environ.values())',
          'print(json.dumps({"got": got, "mode": os.environ.get("MODE"), "unused": unused, "echo": v}))'
        )
      )
    )
    const wf = workflow('env', steps, { env: { TOKEN_VAR: { secret: 'TOKEN' }, MODE: 'fast' } })
    const execution = await saveAndRun(s, wf, { spare: true })
    expect(execution.status).toBe('SUCCESS')
    for (const r of execution.steps) expect(r.output).toEqual({ got: true, mode: 'fast', unused: false, echo: '***' })
    expect(s.runner.spareStats().spare).toBeGreaterThan(0)
    for (const suffix of ['', '-wal']) {
      if (!existsSync(s.dbPath + suffix)) continue
      const bytes = readFileSync(s.dbPath + suffix)
      expect(bytes.includes(Buffer.from('wal-secret'))).toBe(false)
    }
  })

  it('clean environment: only the essentials of the parent, plus the workflow env', async () => {
    const s = await services()
    process.env.SOME_USER_SETTING = 'from-parent'
    try {
      const plain = await saveAndRun(s, workflow('dirty', [step(0, 'S', dumpEnv)], { env: { MINE: '1' } }))
      const clean = await saveAndRun(s, workflow('clean', [step(0, 'S', dumpEnv)], { env: { MINE: '1' }, clean_env: true }))
      const dirtyEnv = (plain.steps[0].output as { env: Record<string, string> }).env
      const cleanEnv = (clean.steps[0].output as { env: Record<string, string> }).env
      expect(dirtyEnv.SOME_USER_SETTING).toBe('from-parent')
      expect(cleanEnv.SOME_USER_SETTING).toBeUndefined()
      expect(cleanEnv.MINE).toBe('1')
      expect(cleanEnv.PATH).toBe(process.env.PATH)
      expect(cleanEnv.PYTHONIOENCODING).toBe('utf-8')
      expect(Object.keys(cleanEnv).some((k) => k.startsWith('STEPWISE_STEP'))).toBe(true)
    } finally {
      delete process.env.SOME_USER_SETTING
    }
  })

  it('a referenced secret that is not set refuses the run before anything is recorded', async () => {
    const s = await services()
    const wf = s.store.saveWorkflow(workflow('missing', [step(0, 'S', py('pass'))], { env: { X: { secret: 'NOT_THERE' } } }))
    await expect(s.runner.start(wf.id)).rejects.toThrow('"NOT_THERE" is not set')
    expect(s.store.listExecutions(wf.id)).toEqual([])
  })
})

describe('the env field', () => {
  const base = { name: 'w', steps: [{ order: 0, name: 'S', step_type: 'PYTHON_SCRIPT', code: 'pass' }] }
  const problem = (env: unknown) => {
    try {
      normalizeWorkflow({ ...base, env: JSON.parse(JSON.stringify(env)) })
      return null
    } catch (err) {
      return (err as Error).message
    }
  }
  it('takes names of environment variables and literal or secret values', () => {
    expect(problem({ API_KEY: { secret: 'API_TOKEN' }, _x1: 'text', Path: '' })).toBeNull()
  })
  it('refuses other names, naming the field', () => {
    expect(problem({ '1X': 'a' })).toContain('env.1X')
    expect(problem({ 'A=B': 'a' })).toContain('env.A=B')
    expect(problem({ STEPWISE_STEP_TOKEN: 'a' })).toContain('set by Stepwise')
    expect(problem({ PATH: 'a', Path: 'b' })).toContain('same variable on Windows')
    expect(problem({ A: { secret: 'b-c' } })).toContain('env.A.secret')
    expect(problem({ A: { secret: 'B', extra: 1 } })).toContain('env.A')
    expect(problem({ A: 3 })).toContain('env.A')
    expect(problem({ A: 'nul\0' })).toContain('NUL')
    expect(problem(JSON.parse('{"__proto__": "x"}'))).toContain('__proto__')
  })
  it('on Windows a workflow "Path" replaces the parent\'s "PATH"', () => {
    const env = stepEnvironment({ PATH: 'C:\\Windows' }, {}, { workflow: { Path: 'C:\\Tools' }, platform: 'win32' })
    expect(env.PATH).toBeUndefined()
    expect(env.Path).toBe('C:\\Tools')
  })
})
