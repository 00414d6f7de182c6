// Packages per workflow with real pip and a wheel the test builds itself, installed offline from a wheel
// folder (--no-index --find-links), the way offline office PCs get them; a real SQLite file and real Python.
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { normalizeRequirements, requirementProblem } from '../src/shared/requirements'
import { missingModule, packageForModule } from '../src/shared/module-packages'
import type { RunnerEvent, WorkflowRunner } from '../src/main/services/engine'
import { EnvironmentError } from '../src/main/services/environments'
import { explainPipFailure } from '../src/main/services/environments/pip-errors'
import { indexReachable } from '../src/main/services/environments/index-reachability'
import { ipcError } from '../src/main/services/request-handlers'
import { exportStepScripts } from '../src/main/services/script-export'
import type { Store } from '../src/main/services/store'
import { normalizeWorkflow } from '../src/main/services/workflow-file'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { buildWheel } from './helpers/wheel'
import { emit, openRealServices, py, step, workflow } from './helpers/workflows'

let dir: string
let wheels: string
let store: Store
let runner: WorkflowRunner
const events: RunnerEvent[] = []

beforeAll(() => {
  dir = makeTempDir('stepwise-env-')
  wheels = join(dir, 'wheels (휠)')
  mkdirSync(wheels)
  buildWheel(wheels, 'stepwise-demo-pkg', '1.2.0', 'GREETING = "안녕하세요"\n')
  ;({ store, runner } = openRealServices(dir))
  runner.on((e) => events.push(e))
  store.updateSettings({ package_offline: true, package_find_links: wheels })
})
afterAll(async () => {
  await runner.stopAll()
  store.close()
  cleanupTempDirs()
})

const usesPackage = py('import stepwise_demo_pkg, sys', emit('{"greeting": stepwise_demo_pkg.GREETING, "prefix": sys.prefix}'))
const progressOf = (workflowId: string) => events.filter((e) => e.channel === 'env:progress' && e.payload.workflow_id === workflowId)

describe('packages per workflow', () => {
  it('a workflow declaring a package runs in an environment made offline from the wheel folder; the second run reuses it', async () => {
    const saved = store.saveWorkflow(
      workflow('needs a package', [step(0, 'Uses', usesPackage)], { requirements: ['stepwise-demo-pkg==1.2.0'] })
    )
    const first = await (await runner.start(saved.id, { python: PYTHON, workingDirectory: dir })).done
    expect(first.status).toBe('SUCCESS')
    const out = first.steps[0].output as { greeting: string; prefix: string }
    expect(out.greeting).toBe('안녕하세요')
    expect(out.prefix.startsWith(join(dir, 'environments'))).toBe(true)
    expect(first.python_path.startsWith(join(dir, 'environments'))).toBe(true)
    const installing = progressOf(saved.id).length
    expect(installing).toBeGreaterThan(0)

    const second = await (await runner.start(saved.id, { python: PYTHON, workingDirectory: dir })).done
    expect(second.status).toBe('SUCCESS')
    expect(second.python_path).toBe(first.python_path)
    // Nothing was installed again: no new progress lines.
    expect(progressOf(saved.id).length).toBe(installing)
    expect(readdirSync(join(dir, 'environments')).filter((n) => !n.endsWith('.log'))).toHaveLength(1)

    // A plain workflow beside it is untouched by all this.
    const plain = store.saveWorkflow(workflow('plain', [step(0, 'Plain', py(emit('{"ok": True}')))]))
    expect((await (await runner.start(plain.id, { python: PYTHON, workingDirectory: dir })).done).python_path).not.toContain('environments')
  }, 180_000)

  it('a package that is not in the wheel folder fails with a sentence naming it, the full pip output kept in a file', async () => {
    const saved = store.saveWorkflow(workflow('wrong package', [step(0, 'Uses', usesPackage)], { requirements: ['stepwise-no-such-pkg'] }))
    const err = await runner.start(saved.id, { python: PYTHON, workingDirectory: dir }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(EnvironmentError)
    const message = (err as EnvironmentError).message
    expect(message).toContain(`The package stepwise-no-such-pkg was not found in the wheel folder ${wheels}`)
    // The window says the same in its language, naming the package and the folder without English words around them.
    expect(ipcError(err)).toMatchObject({
      code: 'ENVIRONMENT',
      key: 'packageNotFound',
      params: { name: 'stepwise-no-such-pkg', where: wheels }
    })
    const logPath = (err as EnvironmentError).logPath!
    expect(readFileSync(logPath, 'utf8')).toContain('No matching distribution found for stepwise-no-such-pkg')
    // No half-made environment is left to be taken for a ready one.
    expect(existsSync(logPath.replace(/\.log$/, ''))).toBe(false)
    expect(store.listExecutions(saved.id)).toEqual([])
  }, 180_000)

  it('an index that cannot be reached and no wheel folder: a clear message within seconds, before anything is made', async () => {
    store.updateSettings({ package_offline: false, package_find_links: null, package_index_url: 'http://127.0.0.1:9/simple' })
    try {
      const saved = store.saveWorkflow(workflow('unreachable', [step(0, 'Uses', usesPackage)], { requirements: ['requests'] }))
      const err = await runner.start(saved.id, { python: PYTHON, workingDirectory: dir }).catch((e: unknown) => e)
      expect((err as Error).message).toMatch(/The package index cannot be reached .* and no wheel folder is set/)
      expect(ipcError(err)).toMatchObject({ code: 'ENVIRONMENT', key: 'packagesOfflineNoWheels' })
    } finally {
      store.updateSettings({ package_offline: true, package_find_links: wheels, package_index_url: null })
    }
  })

  it('export-scripts writes requirements.txt beside the scripts; a workflow file carries its requirements', async () => {
    const saved = store.saveWorkflow(
      workflow('exported', [step(0, 'Uses', usesPackage)], { requirements: ['stepwise-demo-pkg==1.2.0', 'openpyxl>=3.1'] })
    )
    const result = await exportStepScripts(saved, join(dir, 'export'))
    expect(readFileSync(join(result.folder, 'requirements.txt'), 'utf8')).toBe('stepwise-demo-pkg==1.2.0\nopenpyxl>=3.1\n')
    expect(normalizeWorkflow({ name: 'x', steps: [], requirements: ['openpyxl'] }).requirements).toEqual(['openpyxl'])
  })
})

describe('bad requirement lines are refused, naming the line', () => {
  it.each([
    ['--index-url http://evil.example/simple', /is an option, not a package/],
    ['-r other.txt', /is an option, not a package/],
    ['requests; rm -rf /', /has a ";" without an environment marker|is not a package requirement/],
    ['requests && curl x', /characters a shell would act on/],
    ['pkg @ https://example.com/pkg.whl', /URL or direct reference/],
    ['$(whoami)', /characters a shell would act on/]
  ])('%s', (line, why) => {
    expect(requirementProblem(line)).toMatch(why)
    expect(() => normalizeWorkflow({ name: 'x', steps: [], requirements: ['openpyxl', line] })).toThrow(/requirements\[1\]/)
  })

  it('accepts what people write: versions, extras, markers', () => {
    for (const ok of [
      'openpyxl',
      'requests>=2.31,<3',
      'pandas==2.2.*',
      'requests[socks]>=2',
      'pywin32; sys_platform == "win32"',
      'Django (>=4.0)'
    ])
      expect(requirementProblem(ok)).toBeNull()
    expect(normalizeRequirements(['Requests >= 2', 'openpyxl', ' requests>=2 '])).toEqual(['openpyxl', 'requests>=2'])
  })
})

describe('what a failure says', () => {
  it('names the package for a missing module, including the ones named differently', () => {
    const log =
      'Traceback (most recent call last):\n  File "s.py", line 1, in <module>\n    import cv2\nModuleNotFoundError: No module named \'cv2\'\n'
    expect(missingModule(log)).toBe('cv2')
    expect(packageForModule('cv2')).toBe('opencv-python')
    expect(packageForModule('yaml')).toBe('PyYAML')
    expect(packageForModule('PIL.Image')).toBe('Pillow')
    expect(packageForModule('sklearn')).toBe('scikit-learn')
    expect(packageForModule('docx')).toBe('python-docx')
    expect(packageForModule('win32com.client')).toBe('pywin32')
    expect(packageForModule('openpyxl')).toBe('openpyxl')
  })

  it("turns pip's output into a sentence", () => {
    const sources = 'https://pypi.org/simple'
    expect(
      explainPipFailure(
        'ERROR: Could not find a version that satisfies the requirement foo (from versions: none)\nERROR: No matching distribution found for foo',
        sources,
        'Python 3.11'
      ).message
    ).toBe(
      'The package foo was not found in https://pypi.org/simple. Check its name, or put its wheel for this Python into the wheel folder.'
    )
    expect(
      explainPipFailure(
        "WARNING: Retrying ... NewConnectionError('<pip._vendor...>: Failed to establish a new connection')",
        sources,
        'Python 3.11'
      ).kind
    ).toBe('no-network')
    expect(
      explainPipFailure('ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE.', sources, 'Python 3.11').kind
    ).toBe('hash-mismatch')
    expect(
      explainPipFailure('ERROR: foo-1.0-cp312-cp312-win_amd64.whl is not a supported wheel on this platform.', sources, 'Python 3.11')
        .message
    ).toContain('foo-1.0-cp312-cp312-win_amd64.whl is not built for this Python (Python 3.11)')
  })

  it('an unreachable index is told within the time given, not after pip retries for minutes', async () => {
    const s = {
      package_offline: false,
      package_index_url: 'http://127.0.0.1:9/simple',
      package_extra_index_url: null,
      package_find_links: null,
      package_proxy: null,
      package_ca_bundle: null
    }
    expect(await indexReachable(s)).toBe(false)
  })
})
