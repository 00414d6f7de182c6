// Finding Python. The Windows and macOS locators run here against a fake machine (file system, registry
// output, `py -0p` output, interpreters that answer the probe); the Linux locator runs against this machine.
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, posix } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { CommandResult } from '../src/main/services/command-runner'
import {
  discoverInterpreters,
  findInterpreters,
  interpreterInFolder,
  locateCandidates,
  NoPythonError,
  resolvePython
} from '../src/main/services/python/index'
import { parsePyLauncherList, parsePyManagerJson } from '../src/main/services/python/locators-windows'
import { parseRegQuery, registryExecutables } from '../src/main/services/python/registry-tree'
import { FakeFs, fakeRunner, ok, REG_NOT_FOUND, regExportHandler, regExpandString, regString } from './helpers/fake-machine'

// ---------------------------------------------------------------------------------------------------
// Windows

const U = 'C:\\Users\\Mina'
const LOCAL = `${U}\\AppData\\Local`
const PY312 = `${LOCAL}\\Programs\\Python\\Python312\\python.exe`
const PY311 = `${LOCAL}\\Programs\\Python\\Python311\\python.exe`
const PY39_32 = 'C:\\Program Files (x86)\\Python39-32\\python.exe'
const ANACONDA = 'C:\\ProgramData\\Anaconda3\\python.exe'
const PY38 = 'C:\\Python38\\python.exe'
const STORE_ALIAS = `${LOCAL}\\Microsoft\\WindowsApps\\python.exe`
const STORE_ALIAS3 = `${LOCAL}\\Microsoft\\WindowsApps\\python3.exe`
const STORE_REAL = `${LOCAL}\\Microsoft\\WindowsApps\\PythonSoftwareFoundation.Python.3.11_qbz5n2kfra8p0\\python.exe`
const PYMANAGER_ALIAS = `${LOCAL}\\Python\\bin\\python.exe`
const PYMANAGER_314 = `${LOCAL}\\Python\\pythoncore-3.14-64\\python.exe`
const PY27 = 'C:\\Tools\\python27\\python.exe'
const PYENV_WIN = `${U}\\.pyenv\\pyenv-win\\versions\\3.10.11\\python.exe`
const MINICONDA = `${U}\\miniconda3\\python.exe`
const MINICONDA_ENV = `${U}\\miniconda3\\envs\\data\\python.exe`
const STALE = 'C:\\Program Files\\Python310\\python.exe' // still registered, folder deleted

// Verbatim shape of the classic launcher's `py -0p` (default marked after the path).
const PY_0P_CLASSIC = `Installed Pythons found by py Launcher for Windows
 -3.12-64        ${PY312} *
 -3.11-64        ${PY311}
 -3.9-32         ${PY39_32}
`
// The 3.12+ launcher and the install manager mark the default after the tag.
const PY_0P_NEW = ` -V:3.12 *        ${PY312}
 -V:3.11          ${PY311}
 -V:ContinuumAnalytics/Anaconda39-64 ${ANACONDA}
  *               C:\\work\\proj\\.venv\\Scripts\\python.exe
`

const REG_HKCU = `
HKEY_CURRENT_USER\\Software\\Python\\PythonCore
    DisplayName    REG_SZ    Python Software Foundation
    SupportUrl    REG_SZ    https://www.python.org/

HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.11
    DisplayName    REG_SZ    Python 3.11 (64-bit)
    SupportUrl    REG_SZ    https://www.python.org/
    Version    REG_SZ    3.11.9
    SysVersion    REG_SZ    3.11
    SysArchitecture    REG_SZ    64bit

HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.11\\Help

HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.11\\Help\\Main Python Documentation
    (Default)    REG_SZ    https://docs.python.org/3.11/

HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.11\\InstallPath
    (Default)    REG_SZ    ${LOCAL}\\Programs\\Python\\Python311\\
    ExecutablePath    REG_SZ    ${PY311}
    WindowedExecutablePath    REG_SZ    ${LOCAL}\\Programs\\Python\\Python311\\pythonw.exe

HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.11\\PythonPath
    (Default)    REG_SZ    ${LOCAL}\\Programs\\Python\\Python311\\Lib\\;${LOCAL}\\Programs\\Python\\Python311\\DLLs\\

HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.12
    DisplayName    REG_SZ    Python 3.12 (64-bit)
    Version    REG_SZ    3.12.4

HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.12\\InstallPath
    (Default)    REG_SZ    ${LOCAL}\\Programs\\Python\\Python312\\
    ExecutablePath    REG_SZ    ${PY312}
    WindowedExecutablePath    REG_SZ    ${LOCAL}\\Programs\\Python\\Python312\\pythonw.exe

End of search: 19 match(es) found.
`

// HKLM: the launcher's own key (not an interpreter), an older Anaconda that only sets the default value
// (as REG_EXPAND_SZ), and a stale entry whose folder was deleted by hand.
const REG_HKLM = `
HKEY_LOCAL_MACHINE\\Software\\Python\\ContinuumAnalytics\\Anaconda39-64
    DisplayName    REG_SZ    Anaconda py39_4.12.0

HKEY_LOCAL_MACHINE\\Software\\Python\\ContinuumAnalytics\\Anaconda39-64\\InstallPath
    (Default)    REG_EXPAND_SZ    %ProgramData%\\Anaconda3

HKEY_LOCAL_MACHINE\\Software\\Python\\PyLauncher
    (Default)    REG_SZ    C:\\WINDOWS\\py.exe

HKEY_LOCAL_MACHINE\\Software\\Python\\PythonCore\\3.10\\InstallPath
    (Default)    REG_SZ    C:\\Program Files\\Python310\\
    ExecutablePath    REG_SZ    ${STALE}

End of search: 6 match(es) found.
`

const REG_WOW = `
HKEY_LOCAL_MACHINE\\Software\\WOW6432Node\\Python\\PythonCore\\3.9-32\\InstallPath
    (Default)    REG_SZ    C:\\Program Files (x86)\\Python39-32\\
    ExecutablePath    REG_SZ    ${PY39_32}

End of search: 2 match(es) found.
`

// The same keys as `reg export` writes them (the files are UTF-16LE; see regExportBytes).
const EXPORT_HKCU = `Windows Registry Editor Version 5.00

[HKEY_CURRENT_USER\\Software\\Python]

[HKEY_CURRENT_USER\\Software\\Python\\PythonCore]
"DisplayName"="Python Software Foundation"
"SupportUrl"="https://www.python.org/"

[HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.11]
"DisplayName"="Python 3.11 (64-bit)"
"Version"="3.11.9"

[HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.11\\Help\\Main Python Documentation]
@="https://docs.python.org/3.11/"

[HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.11\\InstallPath]
@=${regString(`${LOCAL}\\Programs\\Python\\Python311\\`)}
"ExecutablePath"=${regString(PY311)}
"WindowedExecutablePath"=${regString(`${LOCAL}\\Programs\\Python\\Python311\\pythonw.exe`)}

[HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.12\\InstallPath]
@=${regString(`${LOCAL}\\Programs\\Python\\Python312\\`)}
"ExecutablePath"=${regString(PY312)}

`

const EXPORT_HKLM = `Windows Registry Editor Version 5.00

[HKEY_LOCAL_MACHINE\\SOFTWARE\\Python\\ContinuumAnalytics\\Anaconda39-64]
"DisplayName"="Anaconda py39_4.12.0"

[HKEY_LOCAL_MACHINE\\SOFTWARE\\Python\\ContinuumAnalytics\\Anaconda39-64\\InstallPath]
@=${regExpandString('%ProgramData%\\Anaconda3')}

[HKEY_LOCAL_MACHINE\\SOFTWARE\\Python\\PyLauncher]
@="C:\\\\WINDOWS\\\\py.exe"
"InstallerRev"=dword:00000001

[HKEY_LOCAL_MACHINE\\SOFTWARE\\Python\\PythonCore\\3.10\\InstallPath]
@="C:\\\\Program Files\\\\Python310\\\\"
"ExecutablePath"=${regString(STALE)}

`

const EXPORT_WOW = `Windows Registry Editor Version 5.00

[HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Python\\PythonCore\\3.9-32\\InstallPath]
@="C:\\\\Program Files (x86)\\\\Python39-32\\\\"
"ExecutablePath"=${regString(PY39_32)}

`

const REG_ROOTS = {
  hkcu: 'HKEY_CURRENT_USER\\Software\\Python',
  hklm: 'HKEY_LOCAL_MACHINE\\Software\\Python',
  wow: 'HKEY_LOCAL_MACHINE\\Software\\WOW6432Node\\Python'
}

function windowsMachine(
  overrides: {
    py?: Record<string, CommandResult>
    reg?: Partial<Record<'hkcu' | 'hklm' | 'wow', CommandResult>>
    /** Registry keys as `reg export` writes them; null: reg export cannot run, so `reg query` is read. */
    exports?: Partial<Record<'hkcu' | 'hklm' | 'wow', string>> | null
  } = {}
) {
  const fs = new FakeFs('win32')
  for (const f of [
    PY312,
    PY311,
    PY39_32,
    ANACONDA,
    PY38,
    STORE_ALIAS,
    STORE_ALIAS3,
    STORE_REAL,
    PYMANAGER_ALIAS,
    PYMANAGER_314,
    PY27,
    PYENV_WIN,
    MINICONDA,
    MINICONDA_ENV
  ])
    fs.addFile(f)
  fs.addDir(`${LOCAL}\\Python\\_cache`)
  const env = {
    // Windows spells it Path; the injected env is a plain object, so case matters unless the code handles it.
    Path: [
      'C:\\WINDOWS\\system32',
      'C:\\WINDOWS',
      'C:\\Tools\\python27',
      `${LOCAL}\\Programs\\Python\\Python312\\`,
      `${LOCAL}\\Python\\bin`,
      `${LOCAL}\\Microsoft\\WindowsApps`
    ].join(';'),
    LOCALAPPDATA: LOCAL,
    USERPROFILE: U,
    ProgramData: 'C:\\ProgramData',
    ProgramFiles: 'C:\\Program Files',
    'ProgramFiles(x86)': 'C:\\Program Files (x86)',
    SystemDrive: 'C:'
  }
  const runner = fakeRunner(
    'win32',
    {
      'py -0p': ok(PY_0P_CLASSIC),
      'reg query HKEY_CURRENT_USER\\Software\\Python /s': ok(REG_HKCU),
      'reg query HKEY_LOCAL_MACHINE\\Software\\Python /s': ok(REG_HKLM),
      'reg query HKEY_LOCAL_MACHINE\\Software\\WOW6432Node\\Python /s': ok(REG_WOW),
      ...(overrides.py ?? {}),
      ...(overrides.reg?.hkcu ? { 'reg query HKEY_CURRENT_USER\\Software\\Python /s': overrides.reg.hkcu } : {}),
      ...(overrides.reg?.hklm ? { 'reg query HKEY_LOCAL_MACHINE\\Software\\Python /s': overrides.reg.hklm } : {}),
      ...(overrides.reg?.wow ? { 'reg query HKEY_LOCAL_MACHINE\\Software\\WOW6432Node\\Python /s': overrides.reg.wow } : {})
    },
    {
      [PY312]: { executable: PY312, version: '3.12.4' },
      [PY311]: { executable: PY311, version: '3.11.9' },
      [PY39_32]: { executable: PY39_32, version: '3.9.13', architecture: '32bit' },
      [ANACONDA]: { executable: ANACONDA, version: '3.9.12' },
      [PY38]: { executable: PY38, version: '3.8.10' },
      [STORE_REAL]: { executable: STORE_REAL, version: '3.11.9' },
      // The install manager's global alias runs the default runtime: the same interpreter as the folder scan finds.
      [PYMANAGER_ALIAS]: { executable: PYMANAGER_314, version: '3.14.0' },
      [PYMANAGER_314]: { executable: PYMANAGER_314, version: '3.14.0' },
      [PY27]: {
        exitCode: 2,
        stdout: '',
        stderr:
          "Unknown option: -I\r\nusage: C:\\Tools\\python27\\python.exe [option] ... [-c cmd | -m mod | file | -] [arg] ...\r\nTry `python -h' for more information.\r\n"
      },
      [PYENV_WIN]: { executable: PYENV_WIN, version: '3.10.11' },
      [MINICONDA]: { executable: MINICONDA, version: '3.12.7' },
      [MINICONDA_ENV]: { executable: MINICONDA_ENV, version: '3.10.15' },
      // What the Store alias stubs do when run: exit 9009 (or open the Store). They must never be run.
      [STORE_ALIAS]: { exitCode: 9009, stdout: '', stderr: '' },
      [STORE_ALIAS3]: { exitCode: 9009, stdout: '', stderr: '' }
    },
    (command, args, options) => {
      if (command !== 'reg' || args[0] !== 'export') return undefined
      if (overrides.exports === null) return { exitCode: null, stdout: '', stderr: 'Error: spawn reg EPERM' }
      const exports = overrides.exports ?? { hkcu: EXPORT_HKCU, hklm: EXPORT_HKLM, wow: EXPORT_WOW }
      const keyed = Object.fromEntries(Object.entries(exports).map(([hive, text]) => [REG_ROOTS[hive as keyof typeof REG_ROOTS], text]))
      return regExportHandler(fs, keyed)(command, args, options)
    }
  )
  return {
    fs,
    env,
    runner,
    options: { platform: 'win32' as const, fs, env, home: U, run: runner.run, tempDir: `${LOCAL}\\Temp` }
  }
}

describe('Windows discovery', () => {
  it('finds every install once, most preferred first, without running the Store stubs', async () => {
    const m = windowsMachine()
    const { interpreters, rejected } = await discoverInterpreters({ ...m.options, refresh: true })
    expect(interpreters.map((i) => [i.path, i.source])).toEqual([
      [PY312, 'PATH'],
      [PYMANAGER_314, 'PATH'],
      [PY311, 'py launcher'],
      [PY39_32, 'py launcher'],
      [ANACONDA, 'registry'],
      [STORE_REAL, 'Microsoft Store'],
      [PY38, 'python.org'],
      [MINICONDA, 'conda'],
      [MINICONDA_ENV, 'conda'],
      [PYENV_WIN, 'pyenv-win']
    ])
    expect(interpreters.find((i) => i.path === PY39_32)?.architecture).toBe('32bit')
    const lower = m.runner.probed.map((p) => p.toLowerCase())
    expect(lower).not.toContain(STORE_ALIAS.toLowerCase())
    expect(lower).not.toContain(STORE_ALIAS3.toLowerCase())
    expect(lower).not.toContain(STALE.toLowerCase())
    // Python 2 on PATH is reported, not silently dropped, so the "none found" message can name it.
    expect(rejected).toEqual([
      expect.objectContaining({ path: PY27, source: 'PATH', reason: expect.stringContaining('exited with code 2') })
    ])
  })

  it('lists HKCU before HKLM and reads the 32-bit view under WOW6432Node, from reg export files it then deletes', async () => {
    // Without PATH and the launcher, the registry order is what decides.
    const m = windowsMachine({ py: { 'py -0p': { exitCode: null, stdout: '', stderr: 'spawn py ENOENT' } } })
    const candidates = await locateCandidates({ ...m.options, env: { ...m.env, Path: 'C:\\WINDOWS' } })
    const fromRegistry = candidates.filter((c) => c.source === 'registry').map((c) => c.path)
    expect(fromRegistry).toEqual([PY312, PY311, ANACONDA, PY39_32])
    const reg = m.runner.calls.filter((c) => c[0] === 'reg')
    expect(reg.map((c) => c.slice(0, 3))).toEqual([
      ['reg', 'export', REG_ROOTS.hkcu],
      ['reg', 'export', REG_ROOTS.hklm],
      ['reg', 'export', REG_ROOTS.wow]
    ])
    for (const call of reg) {
      expect(call[3]).toMatch(/^C:\\Users\\Mina\\AppData\\Local\\Temp\\stepwise-python-.*\.reg$/)
      expect(call[4]).toBe('/y')
      expect(m.fs.exists(call[3])).toBe(false)
    }
  })

  it('reads `reg query` (in the console code page) when reg export cannot run', async () => {
    const m = windowsMachine({ py: { 'py -0p': { exitCode: null, stdout: '', stderr: 'spawn py ENOENT' } }, exports: null })
    const candidates = await locateCandidates({ ...m.options, env: { ...m.env, Path: 'C:\\WINDOWS' } })
    expect(candidates.filter((c) => c.source === 'registry').map((c) => c.path)).toEqual([PY312, PY311, ANACONDA, PY39_32])
    expect(m.runner.calls.filter((c) => c[1] === 'query').map((c) => c[2])).toEqual([REG_ROOTS.hkcu, REG_ROOTS.hklm, REG_ROOTS.wow])
  })

  it('still finds the folder installs when there is no py launcher and no Python registry key', async () => {
    const missing = { exitCode: null, stdout: '', stderr: 'spawn py ENOENT' }
    const m = windowsMachine({
      py: { 'py -0p': missing, 'py list --format=json': missing },
      reg: { hkcu: REG_NOT_FOUND, hklm: REG_NOT_FOUND, wow: REG_NOT_FOUND },
      exports: {}
    })
    const found = await findInterpreters({ ...m.options, env: { ...m.env, Path: '' }, refresh: true })
    expect(found.map((i) => i.path)).toEqual([
      STORE_REAL,
      PY312,
      PY311,
      PYMANAGER_314,
      PY39_32,
      PY38,
      MINICONDA,
      MINICONDA_ENV,
      ANACONDA,
      PYENV_WIN
    ])
  })

  it('reads `py list --format=json` of the install manager first, and `py -0p` only without it', async () => {
    const json = JSON.stringify({
      versions: [
        { id: 'pythoncore-3.13-64', executable: 'python.exe', prefix: `${LOCAL}\\Python\\pythoncore-3.13-64`, default: false },
        { id: 'pythoncore-3.14-64', executable: PYMANAGER_314, prefix: `${LOCAL}\\Python\\pythoncore-3.14-64`, default: true }
      ]
    })
    const m = windowsMachine({
      py: { 'py -0p': { exitCode: 1, stdout: '', stderr: 'legacy commands are disabled' }, 'py list --format=json': ok(json) }
    })
    const candidates = await locateCandidates({ ...m.options, env: { ...m.env, Path: '' } })
    expect(candidates.filter((c) => c.source === 'py launcher').map((c) => c.path)).toEqual([PYMANAGER_314])
    expect(m.runner.calls.filter((c) => c[0] === 'py')).toEqual([['py', 'list', '--format=json']])
    expect(parsePyManagerJson(json).map((e) => e.path)).toEqual([`${LOCAL}\\Python\\pythoncore-3.13-64\\python.exe`, PYMANAGER_314])
  })

  it('parses both `py -0p` formats, default first', () => {
    expect(parsePyLauncherList(PY_0P_CLASSIC.replace(/\n/g, '\r\n'))).toEqual([
      { path: PY312, isDefault: true },
      { path: PY311, isDefault: false },
      { path: PY39_32, isDefault: false }
    ])
    expect(parsePyLauncherList(PY_0P_NEW)).toEqual([
      { path: PY312, isDefault: true },
      { path: PY311, isDefault: false },
      { path: ANACONDA, isDefault: false },
      { path: 'C:\\work\\proj\\.venv\\Scripts\\python.exe', isDefault: true }
    ])
  })

  it('reads the default value whatever the UI language calls it', () => {
    const korean = 'HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.12\\InstallPath\r\n    (기본값)    REG_SZ    C:\\Python312\\\r\n'
    const tree = parseRegQuery(korean)
    expect(registryExecutables(tree, 'HKEY_CURRENT_USER\\Software\\Python')).toEqual(['C:\\Python312\\python.exe'])
  })

  it("uses a venv folder's Scripts\\python.exe and says what is missing when there is none", async () => {
    const m = windowsMachine()
    m.fs.addFile('C:\\work\\proj\\.venv\\Scripts\\python.exe').addDir('C:\\work\\empty')
    expect(interpreterInFolder('C:\\work\\proj\\.venv', 'win32', m.fs)).toBe('C:\\work\\proj\\.venv\\Scripts\\python.exe')
    await expect(resolvePython([null, 'C:\\work\\empty'], m.options)).rejects.toThrow(/has no Python in it.*Scripts\\python\.exe/)
  })

  it('probes at most four candidates at a time', async () => {
    const m = windowsMachine()
    await findInterpreters({ ...m.options, refresh: true })
    expect(m.runner.probed.length).toBeGreaterThan(8)
    expect(m.runner.maxInFlight()).toBeLessThanOrEqual(4)
    expect(m.runner.maxInFlight()).toBeGreaterThan(1)
  })
})

// ---------------------------------------------------------------------------------------------------
// macOS

const HOME = '/Users/mina'
const BREW = '/opt/homebrew/bin/python3'
const BREW_REAL = '/opt/homebrew/Cellar/python@3.13/3.13.1/Frameworks/Python.framework/Versions/3.13/bin/python3.13'
const BREW_KEG = '/opt/homebrew/opt/python@3.12/bin/python3'
const ORG_LINK = '/usr/local/bin/python3'
const ORG = '/Library/Frameworks/Python.framework/Versions/3.11/bin/python3'
const PYENV_MAC = `${HOME}/.pyenv/versions/3.10.14/bin/python3`
const CONDA_MAC = `${HOME}/miniconda3/bin/python3`
const CLT_PY = '/Library/Developer/CommandLineTools/usr/bin/python3'

function macMachine(clt: boolean) {
  const fs = new FakeFs('darwin')
  fs.addFile(BREW, { realpath: BREW_REAL })
    .addFile('/opt/homebrew/bin/python3.13', { realpath: BREW_REAL })
    .addFile(BREW_KEG)
    .addFile(ORG_LINK, { realpath: ORG })
    .addFile(ORG)
    .addFile('/Library/Frameworks/Python.framework/Versions/Current/bin/python3', { realpath: ORG })
    .addFile(PYENV_MAC)
    .addFile(CONDA_MAC)
    .addFile('/usr/bin/python3') // the stub: exists whether or not the tools are installed
  if (clt) fs.addFile(CLT_PY)
  const xcode: CommandResult = clt
    ? { exitCode: 0, stdout: '/Library/Developer/CommandLineTools\n', stderr: '' }
    : {
        exitCode: 2,
        stdout: '',
        stderr:
          'xcode-select: error: unable to get active developer directory, use `sudo xcode-select --switch path/to/Xcode.app` to set one (or that directory is being deleted)\n'
      }
  const runner = fakeRunner(
    'darwin',
    { 'xcode-select -p': xcode },
    {
      [BREW]: { executable: BREW, version: '3.13.1', prefix: '/opt/homebrew/opt/python@3.13/Frameworks/Python.framework/Versions/3.13' },
      '/opt/homebrew/bin/python3.13': {
        executable: '/opt/homebrew/bin/python3.13',
        version: '3.13.1',
        prefix: '/opt/homebrew/opt/python@3.13/Frameworks/Python.framework/Versions/3.13'
      },
      [BREW_KEG]: { executable: BREW_KEG, version: '3.12.8' },
      [ORG_LINK]: { executable: ORG_LINK, version: '3.11.9', prefix: '/Library/Frameworks/Python.framework/Versions/3.11' },
      [ORG]: { executable: ORG, version: '3.11.9', prefix: '/Library/Frameworks/Python.framework/Versions/3.11' },
      [PYENV_MAC]: { executable: PYENV_MAC, version: '3.10.14' },
      [CONDA_MAC]: { executable: CONDA_MAC, version: '3.12.7' },
      // Only reached when the tools are installed; the stub would otherwise pop a dialog.
      '/usr/bin/python3': clt
        ? {
            executable: '/usr/bin/python3',
            version: '3.9.6',
            prefix: '/Library/Developer/CommandLineTools/Library/Frameworks/Python3.framework/Versions/3.9'
          }
        : { exitCode: 1, stdout: '', stderr: 'xcrun: error: invalid active developer path' }
    }
  )
  // An app started from the Finder gets this PATH.
  const env = { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', HOME }
  return { fs, runner, options: { platform: 'darwin' as const, fs, env, home: HOME, run: runner.run } }
}

describe('macOS discovery', () => {
  it('finds Homebrew, python.org, pyenv and conda without PATH, and never runs the /usr/bin/python3 stub', async () => {
    const m = macMachine(false)
    const found = await findInterpreters({ ...m.options, refresh: true })
    expect(found.map((i) => [i.path, i.source])).toEqual([
      [BREW, 'Homebrew'],
      [BREW_KEG, 'Homebrew'],
      [ORG_LINK, 'python.org'],
      [PYENV_MAC, 'pyenv'],
      [CONDA_MAC, 'conda']
    ])
    expect(m.runner.probed).not.toContain('/usr/bin/python3')
  })

  it('lists /usr/bin/python3 last when the Command Line Tools are really installed', async () => {
    const m = macMachine(true)
    const found = await findInterpreters({ ...m.options, refresh: true })
    expect(found.at(-1)).toMatchObject({ path: '/usr/bin/python3', source: 'Command Line Tools', version: '3.9.6' })
    expect(found).toHaveLength(6)
  })
})

// ---------------------------------------------------------------------------------------------------
// Linux, cache, errors

// Runs on macOS CI too (the locators under test are chosen explicitly); the Windows runner has its own
// layout (python.exe, Scripts\) which the fake Windows machine above covers.
describe.skipIf(process.platform === 'win32')('Linux discovery on this machine', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'stepwise-py-'))
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))
  const realPython = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim()

  it('lists the real interpreter behind python3, never a pyenv shim, each real file once', async () => {
    const found = await findInterpreters({ refresh: true })
    expect(found.map((i) => i.path)).toContain(realPython)
    expect(found.filter((i) => i.path.includes('/shims/'))).toEqual([])
    const real = found.map((i) => realpathSync(i.path))
    expect(new Set(real).size).toBe(real.length)
    for (const i of found) expect(i.version).toMatch(/^3\.\d+\.\d+/)
  })

  it('finds pyenv versions under $PYENV_ROOT even when they are not on PATH', async () => {
    const root = join(tmp, 'pyenv')
    mkdirSync(join(root, 'versions', '3.99.0', 'bin'), { recursive: true })
    symlinkSync(realPython, join(root, 'versions', '3.99.0', 'bin', 'python3'))
    const found = await findInterpreters({ platform: 'linux', env: { PATH: '', PYENV_ROOT: root }, home: tmp, refresh: true })
    expect(found).toEqual([expect.objectContaining({ path: join(root, 'versions', '3.99.0', 'bin', 'python3'), source: 'pyenv' })])
    // Found again through PATH, the same real file is listed once, under the source found first.
    const twice = await findInterpreters({
      platform: 'linux',
      env: { PATH: posix.dirname(realPython), PYENV_ROOT: root },
      home: tmp,
      refresh: true
    })
    expect(twice.filter((i) => realpathSync(i.path) === realpathSync(realPython))).toHaveLength(1)
  })

  it('keeps a virtual environment apart from its base interpreter, and a venv folder resolves to its python', async () => {
    const venv = join(tmp, 'venv')
    execFileSync(realPython, ['-m', 'venv', '--without-pip', venv])
    const chosen = await resolvePython([null, undefined, venv])
    expect(chosen.path).toBe(join(venv, 'bin', 'python3'))
    const found = await findInterpreters({
      platform: 'linux',
      env: { PATH: `${join(venv, 'bin')}:${posix.dirname(realPython)}` },
      home: tmp,
      refresh: true
    })
    expect(found.map((i) => i.path)).toEqual(expect.arrayContaining([join(venv, 'bin', 'python3'), realPython]))
  })

  it('gives up on a candidate that hangs, within the probe timeout', async () => {
    const bin = join(tmp, 'hung')
    mkdirSync(bin)
    writeFileSync(join(bin, 'python3'), '#!/bin/sh\nexec sleep 30\n')
    chmodSync(join(bin, 'python3'), 0o755)
    const started = Date.now()
    const report = await discoverInterpreters({ platform: 'linux', env: { PATH: bin }, home: tmp, probeTimeoutMs: 300, refresh: true })
    expect(Date.now() - started).toBeLessThan(3000)
    expect(report.interpreters).toEqual([])
    expect(report.rejected).toEqual([
      expect.objectContaining({ path: join(bin, 'python3'), reason: expect.stringContaining('did not answer') })
    ])
  })
})

describe('cache and errors', () => {
  function linuxFake() {
    const fs = new FakeFs('linux')
    const paths = Array.from({ length: 6 }, (_, i) => `/home/u/.pyenv/versions/3.1${i}.0/bin/python3`)
    for (const p of paths) fs.addFile(p)
    const runner = fakeRunner('linux', {}, Object.fromEntries(paths.map((p, i) => [p, { executable: p, version: `3.1${i}.0` }])))
    return { fs, paths, runner, options: { platform: 'linux' as const, fs, env: { PATH: '' }, home: '/home/u', run: runner.run } }
  }

  it('answers from the cache until an interpreter file changes, then re-probes only that one', async () => {
    const m = linuxFake()
    expect(await findInterpreters(m.options)).toHaveLength(6)
    expect(m.runner.probed).toHaveLength(6)
    expect(await findInterpreters(m.options)).toHaveLength(6)
    expect(m.runner.probed).toHaveLength(6)
    m.fs.touch(m.paths[2], 2000)
    await findInterpreters(m.options)
    expect(m.runner.probed.slice(6)).toEqual([m.paths[2]])
    await findInterpreters({ ...m.options, refresh: true })
    expect(m.runner.probed).toHaveLength(13)
  })

  it('tells the user what to do when no Python works, naming what was found but broken', async () => {
    const fs = new FakeFs('linux').addFile('/usr/bin/python').addFile('/usr/bin/python3')
    const runner = fakeRunner(
      'linux',
      {},
      {
        '/usr/bin/python': { exitCode: 2, stdout: '', stderr: 'Unknown option: -I' },
        '/usr/bin/python3': {
          exitCode: 127,
          stdout: '',
          stderr: '/usr/bin/python3: error while loading shared libraries: libpython3.11.so.1.0'
        }
      }
    )
    const error = await resolvePython([], { platform: 'linux', fs, env: { PATH: '/usr/bin' }, home: '/home/u', run: runner.run }).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(NoPythonError)
    const message = (error as Error).message
    expect(message).toMatch(/^No working Python 3 was found/)
    expect(message).toContain('/usr/bin/python3 (exited with code 127')
    expect(message).toContain('https://www.python.org/downloads/')
    expect(message).toContain('Settings → Python')
    expect(message).toContain('--python PATH')
  })

  it('says when a chosen interpreter does not exist or is not Python 3', async () => {
    await expect(resolvePython(['/nowhere/python3'])).rejects.toThrow(/"\/nowhere\/python3" does not exist/)
    const fs = new FakeFs('darwin').addFile('/opt/py2/bin/python')
    const runner = fakeRunner('darwin', {}, { '/opt/py2/bin/python': { exitCode: 2, stdout: '', stderr: 'Unknown option: -I' } })
    await expect(resolvePython(['/opt/py2/bin/python'], { platform: 'darwin', fs, run: runner.run })).rejects.toThrow(
      /not a working Python 3: it exited with code 2: Unknown option: -I.*brew install python/
    )
  })
})
