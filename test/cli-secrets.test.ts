// Secrets end to end with the built CLI, real Python and a real database file: set from stdin, used by a
// step that checks it by its hash and prints it everywhere it can, and then found nowhere Stepwise wrote.
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Step } from '../src/shared/model'
import { secretForms } from '../src/main/services/secrets/secret-forms'
import { ensureCliBuilt, runCli } from './helpers/cli'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { py, step } from './helpers/workflows'

const KEY = 'test-key-0123456789-abcdef'
// Quotes, a backslash, a tab, Korean, an emoji: every way json.dumps and repr may escape a value.
const SECRET = `Zq9"x\\ü\t한글🔑-${randomBytes(8).toString('hex')}`
const OTHER = `other-${randomBytes(8).toString('hex')}`
const SHA = createHash('sha256').update(SECRET, 'utf8').digest('hex')

let dir: string
let db: string
const env = { STEPWISE_SECRET_KEY: KEY }
const cli = (args: string[], input?: string) => runCli([...args, '--db', db], { env, input, timeoutMs: 60_000 })

beforeAll(async () => {
  await ensureCliBuilt()
  dir = makeTempDir('stepwise-secrets-')
  db = join(dir, 'secrets.db')
}, 120_000)
afterAll(cleanupTempDirs)

function workflowFile(id: string, steps: Step[], extra: Record<string, unknown>): string {
  const file = join(dir, `${id}.json`)
  writeFileSync(file, JSON.stringify({ id, name: id, steps, ...extra }, null, 2))
  return file
}

/** Every form of the secret a leak could take, as bytes. */
const leaks = (): Buffer[] => secretForms(SECRET).map((f) => Buffer.from(f, 'utf8'))
function expectNoSecret(what: string, bytes: Buffer | string): void {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes
  for (const form of leaks()) expect(buf.includes(form), `${what} holds the secret as ${JSON.stringify(form.toString())}`).toBe(false)
}

describe('stepwise secret', () => {
  it('set reads the value from stdin; list shows names only; bad names and values as arguments are refused', async () => {
    expect((await cli(['secret', 'set', 'API_TOKEN'], `${SECRET}\n`)).code).toBe(0)
    expect((await cli(['secret', 'set', 'OTHER_SECRET'], OTHER)).code).toBe(0)

    const list = await cli(['secret', 'list'])
    expect(list.code).toBe(0)
    expect(list.stdout).toBe('API_TOKEN\nOTHER_SECRET\n')
    const json = await cli(['secret', 'list', '--json'])
    expect(JSON.parse(json.stdout)).toEqual({ store: 'file', where: join(dir, 'secrets.enc'), names: ['API_TOKEN', 'OTHER_SECRET'] })
    expectNoSecret('secret list --json', json.stdout)
    expectNoSecret('the encrypted file', readFileSync(join(dir, 'secrets.enc')))

    for (const bad of ['9LIVES', 'API-TOKEN', 'API TOKEN', '토큰', '__proto__']) {
      const r = await cli(['secret', 'set', bad], 'value')
      expect(r.code, bad).toBe(2)
      expect(r.stderr).toContain(`"${bad}"`)
    }
    const asArgument = await cli(['secret', 'set', 'API_TOKEN', 'the-value'], '')
    expect(asArgument.code).toBe(2)
    expect(asArgument.stderr).toContain('read from stdin')
    expect((await cli(['secret', 'set', 'EMPTY'], '\n')).code).toBe(2)

    // Another key cannot open the file, and no key is a clear error, never plain text.
    const wrong = await runCli(['secret', 'list', '--db', db], { env: { STEPWISE_SECRET_KEY: 'another-key-0123456789' } })
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('another key')
    const none = await runCli(['secret', 'list', '--db', db], { env: { STEPWISE_SECRET_KEY: undefined } })
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('STEPWISE_SECRET_KEY')
  })

  it('a step gets the secret it names (checked by its hash) and nothing of it stays anywhere Stepwise writes', async () => {
    const use = step(
      0,
      'Use',
      py(
        'import hashlib',
        'v = os.environ["API_KEY"]',
        'print("raw", v, file=sys.stderr)',
        'print("ascii", json.dumps({"k": v}), file=sys.stderr)',
        'print("unicode", json.dumps({"k": v}, ensure_ascii=False), file=sys.stderr)',
        'print("repr", {"k": v}, file=sys.stderr)',
        'others = [k for k, x in os.environ.items() if "OTHER" in k or x == ' + JSON.stringify(OTHER) + ']',
        'print(json.dumps({"sha": hashlib.sha256(v.encode()).hexdigest(), "echo": v, "mode": os.environ["MODE"], "others": others}))'
      ),
      { output_mapping: { copied: 'echo' } }
    )
    const fail = step(1, 'Fail', py('raise RuntimeError("bad token " + os.environ["API_KEY"])'), { continue_on_error: true })
    const file = workflowFile('uses-secret', [use, fail], { env: { API_KEY: { secret: 'API_TOKEN' }, MODE: 'literal' } })

    const run = await runCli(['run', file, '--db', db, '--python', PYTHON, '--workdir', dir, '--debug', '--json', '--allow-errors'], {
      env,
      timeoutMs: 60_000
    })
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result.status).toBe('COMPLETED_WITH_ERRORS')
    const [first, second] = result.steps
    expect(first.output).toEqual({ sha: SHA, echo: '***', mode: 'literal', others: [] })
    expect(first.logs).toContain('raw ***\nascii {"k": "***"}\nunicode {"k": "***"}\nrepr {\'k\': \'***\'}\n')
    expect(result.variables.copied).toBe('***')
    expect(second.error).toContain('bad token ***')
    expectNoSecret('run --json', run.stdout)
    expectNoSecret('the live log on stderr', run.stderr)

    const show = await cli(['show', result.execution_id, '--json'])
    expect(show.stdout).toContain('***')
    expectNoSecret('show --json', show.stdout)
    expectNoSecret('history --json', (await cli(['history', '--json'])).stdout)
    const exported = join(dir, 'export.json')
    expect((await cli(['export', 'uses-secret', '--out', exported])).code).toBe(0)
    expect(JSON.parse(readFileSync(exported, 'utf8')).env).toEqual({ API_KEY: { secret: 'API_TOKEN' }, MODE: 'literal' })
    expectNoSecret('the export', readFileSync(exported))

    // Debug mode kept the script, the variables files and the full logs.
    const kept = dirname(first.script_path)
    const files = readdirSync(kept)
    expect(files.some((f) => f.endsWith('.log'))).toBe(true)
    for (const f of files) expectNoSecret(`kept file ${f}`, readFileSync(join(kept, f)))

    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(db + suffix)) expectNoSecret(`the database${suffix}`, readFileSync(db + suffix))
  }, 120_000)

  it('a secret the workflow names but nobody set fails the run before any step starts, naming it', async () => {
    const marker = join(dir, 'ran.txt')
    const file = workflowFile('needs-missing', [step(0, 'Never', py(`open(${JSON.stringify(marker)}, "w").write("ran")`))], {
      env: { DB_PASSWORD: { secret: 'DB_PASSWORD' }, API_KEY: { secret: 'API_TOKEN' } }
    })
    const r = await runCli(['run', file, '--db', db, '--python', PYTHON, '--workdir', dir], { env, timeoutMs: 60_000 })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('"DB_PASSWORD" is not set')
    expect(r.stderr).not.toContain('"API_TOKEN" is not set')
    expect(existsSync(marker)).toBe(false)
    expect(JSON.parse((await cli(['history', 'needs-missing', '--json'])).stdout)).toEqual([])
  }, 60_000)

  it('a workflow whose env is not made of variable names is refused, naming the field', async () => {
    const file = workflowFile('bad-env', [step(0, 'S', py('pass'))], {
      env: { 'MY-VAR': 'x', OK: { secret: 'not valid' }, PYTHONIOENCODING: 'cp949' }
    })
    const r = await cli(['import', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('env.MY-VAR')
    expect(r.stderr).toContain('env.OK.secret')
    expect(r.stderr).toContain('env.PYTHONIOENCODING')
  })

  it('delete removes a secret; deleting one that is not there says so', async () => {
    expect((await cli(['secret', 'delete', 'OTHER_SECRET'])).code).toBe(0)
    expect((await cli(['secret', 'list'])).stdout).toBe('API_TOKEN\n')
    const again = await cli(['secret', 'delete', 'OTHER_SECRET'])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('no secret "OTHER_SECRET"')
  })
})
