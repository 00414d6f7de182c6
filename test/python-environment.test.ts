// The interpreter a run really uses and the environment its steps get: the working folder's own .venv,
// a conda environment's folders first on PATH, and on macOS the login shell's PATH.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { interpreterEnvironment } from '../src/main/services/python/conda-activation'
import { adoptLoginShellPath, mergePathLists, parseMarkedEnv, resetLoginShellPath } from '../src/main/services/python/login-shell-path'
import { FakeFs } from './helpers/fake-machine'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { ensureCliBuilt, runCli } from './helpers/cli'
import { openRealServices, py, step, workflow } from './helpers/workflows'

afterAll(() => cleanupTempDirs())

const PRINT_PREFIX = py(
  'print(json.dumps({"prefix": sys.prefix, "path": os.environ.get("PATH", ""), "conda": os.environ.get("CONDA_PREFIX")}))'
)

describe.skipIf(process.platform === 'win32')('the working folder’s own environment', () => {
  it('is used when the workflow names no interpreter, before the one in Settings; a named one still wins', async () => {
    const dir = makeTempDir()
    const services = openRealServices(dir)
    const project = join(dir, 'Reports')
    mkdirSync(project)
    execFileSync(PYTHON, ['-m', 'venv', '--without-pip', join(project, '.venv')])
    services.store.updateSettings({ python_path: PYTHON })
    const saved = services.store.saveWorkflow(workflow('Report', [step(0, 'Where', PRINT_PREFIX)], { working_directory: project }))
    const run = await (await services.runner.start(saved.id, {})).done
    expect(run.status).toBe('SUCCESS')
    expect(run.python_path).toBe(join(project, '.venv', 'bin', 'python3'))
    expect((run.steps[0].output as { prefix: string }).prefix).toBe(join(project, '.venv'))

    const named = services.store.saveWorkflow(
      workflow('Named', [step(0, 'Where', PRINT_PREFIX)], { working_directory: project, python_path: PYTHON })
    )
    const second = await (await services.runner.start(named.id, {})).done
    expect(second.python_path).toBe(PYTHON)
    expect((second.steps[0].output as { prefix: string }).prefix).not.toBe(join(project, '.venv'))
    services.store.close()
  })
})

describe.skipIf(process.platform === 'win32')('`stepwise interpreters` in a project folder', () => {
  it('lists the folder’s .venv first, named as the project’s', async () => {
    await ensureCliBuilt()
    const dir = makeTempDir()
    execFileSync(PYTHON, ['-m', 'venv', '--without-pip', join(dir, '.venv')])
    const r = await runCli(['interpreters', '--json', '--db', join(dir, 'stepwise.db')], { cwd: dir, timeoutMs: 60_000 })
    expect(r.code).toBe(0)
    const found = JSON.parse(r.stdout) as { path: string; source: string }[]
    expect(found[0]).toMatchObject({ source: 'project .venv' })
    expect(found[0].path.startsWith(join(dir, '.venv'))).toBe(true)
  }, 180_000)
})

describe('a conda environment', () => {
  it.skipIf(process.platform === 'win32')(
    'runs its steps with its bin folder first on PATH and CONDA_PREFIX set, so its tools and libraries are found',
    async () => {
      const dir = makeTempDir()
      const services = openRealServices(dir)
      // A conda prefix: conda-meta marks it; bin holds its python and a tool only it has.
      const prefix = join(dir, 'miniconda3', 'envs', 'geo')
      mkdirSync(join(prefix, 'conda-meta'), { recursive: true })
      mkdirSync(join(prefix, 'bin'))
      symlinkSync(PYTHON, join(prefix, 'bin', 'python3'))
      writeFileSync(join(prefix, 'bin', 'geo-tool'), '#!/bin/sh\necho from-the-env\n')
      chmodSync(join(prefix, 'bin', 'geo-tool'), 0o755)
      const code = py(
        'tool = subprocess.run(["geo-tool"], capture_output=True, text=True).stdout.strip()',
        'print(json.dumps({"tool": tool, "first": os.environ["PATH"].split(os.pathsep)[0], "conda": os.environ.get("CONDA_PREFIX")}))'
      )
      const saved = services.store.saveWorkflow(workflow('Geo', [step(0, 'Tool', code)], { working_directory: dir }))
      const run = await (await services.runner.start(saved.id, { python: join(prefix, 'bin', 'python3') })).done
      expect(run.status).toBe('SUCCESS')
      expect(run.steps[0].output).toEqual({ tool: 'from-the-env', first: join(prefix, 'bin'), conda: prefix })
      services.store.close()
    }
  )

  it('on Windows gets the folders conda activate puts first, in its order, under the Path name Windows uses', () => {
    const fs = new FakeFs('win32').addDir('C:\\Users\\홍길동\\miniconda3\\envs\\geo\\conda-meta')
    const env = interpreterEnvironment(
      { Path: 'C:\\WINDOWS\\system32;C:\\Users\\홍길동\\miniconda3\\envs\\geo\\Library\\bin', SystemRoot: 'C:\\WINDOWS' },
      'C:\\Users\\홍길동\\miniconda3\\envs\\geo\\python.exe',
      'win32',
      fs
    )
    const e = 'C:\\Users\\홍길동\\miniconda3\\envs\\geo'
    expect(env.Path.split(';')).toEqual([
      e,
      `${e}\\Library\\mingw-w64\\bin`,
      `${e}\\Library\\usr\\bin`,
      `${e}\\Library\\bin`,
      `${e}\\Scripts`,
      `${e}\\bin`,
      'C:\\WINDOWS\\system32'
    ])
    expect(env.PATH).toBeUndefined()
    expect(env.CONDA_PREFIX).toBe(e)
    // A plain install or a venv is not touched.
    const plain = { Path: 'C:\\WINDOWS' }
    expect(interpreterEnvironment(plain, 'C:\\Python312\\python.exe', 'win32', fs)).toBe(plain)
  })
})

describe('the login shell’s PATH (macOS, started from the Finder)', () => {
  function fakeShell(dir: string, body: string): string {
    const shell = join(dir, 'fake-zsh')
    // Called as `<shell> -ilc <script>`: its profile prints a greeting and extends PATH, then it runs the script.
    writeFileSync(shell, `#!/bin/sh\n${body}\nexec /bin/sh -c "$2"\n`)
    chmodSync(shell, 0o755)
    return shell
  }

  it.skipIf(process.platform === 'win32')('is read once from the real shell and put first, keeping what the app had', async () => {
    const dir = makeTempDir()
    const shell = fakeShell(
      dir,
      'echo "Last login: today"\n# what path_helper and a .zprofile build\nPATH=/opt/homebrew/bin:/Users/mina/.pyenv/shims:/usr/bin:/bin\nexport PATH'
    )
    const env: NodeJS.ProcessEnv = { SHELL: shell, PATH: '/usr/bin:/bin:/usr/sbin:/sbin', HOME: dir }
    resetLoginShellPath()
    await adoptLoginShellPath({ env, platform: 'darwin' })
    expect(env.PATH).toBe('/opt/homebrew/bin:/Users/mina/.pyenv/shims:/usr/bin:/bin:/usr/sbin:/sbin')
    // Once: a second call does not ask the shell again (it would add nothing new either way).
    env.PATH = '/changed'
    await adoptLoginShellPath({ env, platform: 'darwin' })
    expect(env.PATH).toBe('/changed')
    resetLoginShellPath()
  })

  it('is not asked for when started from a terminal, or on other systems', async () => {
    let asked = 0
    const run = async () => {
      asked++
      return { exitCode: 0, stdout: '', stderr: '' }
    }
    resetLoginShellPath()
    await adoptLoginShellPath({ env: { TERM: 'xterm-256color', PATH: '/usr/bin' }, platform: 'darwin', run })
    resetLoginShellPath()
    await adoptLoginShellPath({ env: { PATH: '/usr/bin' }, platform: 'win32', run })
    resetLoginShellPath()
    expect(asked).toBe(0)
  })

  it('keeps the app’s PATH when the shell prints nothing usable', async () => {
    const env: NodeJS.ProcessEnv = { SHELL: '/bin/zsh', PATH: '/usr/bin:/bin' }
    resetLoginShellPath()
    await adoptLoginShellPath({
      env,
      platform: 'darwin',
      run: async () => ({ exitCode: null, stdout: 'Welcome', stderr: '', timedOut: true })
    })
    expect(env.PATH).toBe('/usr/bin:/bin')
    resetLoginShellPath()
  })

  it('parses the marked environment and merges PATH lists without duplicates', () => {
    expect(parseMarkedEnv('motd\n__STEPWISE_ENV_b41d__\nA=1\nPATH=/a:/b\nB=x\ny\n__STEPWISE_ENV_b41d__\n')).toEqual({
      A: '1',
      PATH: '/a:/b',
      B: 'x\ny'
    })
    expect(parseMarkedEnv('no marks')).toBeNull()
    expect(mergePathLists('/a:/b', '/b:/c::')).toBe('/a:/b:/c')
  })
})
