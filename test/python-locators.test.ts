// The locators of issue 12 §3 on fake Windows and macOS machines: each tool's folders laid out as the tool
// lays them out, and the registry and launcher output as Korean Windows prints it.
import { describe, expect, it } from 'vitest'
import type { CommandResult } from '../src/main/services/command-runner'
import { locateCandidates, resolvePython } from '../src/main/services/python/index'
import { locateRegistry } from '../src/main/services/python/locators-windows'
import { FakeFs, fakeRunner, regExportHandler, regString } from './helpers/fake-machine'
import { encodedBy } from './helpers/python'

const missing: CommandResult = { exitCode: null, stdout: '', stderr: 'spawn ENOENT' }

// ---------------------------------------------------------------------------------------------------
// Windows

const U = 'C:\\Users\\Mina'
const LOCAL = `${U}\\AppData\\Local`
const ROAMING = `${U}\\AppData\\Roaming`
const W = {
  project: 'C:\\work\\reports\\.venv\\Scripts\\python.exe',
  scoop: `${U}\\scoop\\apps\\python\\current\\python.exe`,
  scoop311: `${U}\\scoop\\apps\\python311\\current\\python.exe`,
  scoopGlobal: 'C:\\ProgramData\\scoop\\apps\\python312\\current\\python.exe',
  uv: `${ROAMING}\\uv\\data\\python\\cpython-3.13.1-windows-x86_64-none\\python.exe`,
  uvOld: `${ROAMING}\\uv\\python\\cpython-3.11.9-windows-x86_64-none\\python.exe`,
  userConda: `${U}\\.conda\\envs\\ml\\python.exe`,
  micromamba: `${U}\\micromamba\\envs\\geo\\python.exe`,
  poetry: `${LOCAL}\\pypoetry\\Cache\\virtualenvs\\report-tool-Xk3jQ9aB-py3.12\\Scripts\\python.exe`,
  pipenv: `${U}\\.virtualenvs\\reports-4fG7hJ2k\\Scripts\\python.exe`,
  hatch: `${LOCAL}\\hatch\\env\\virtual\\reports\\Zq81xY0a\\default\\Scripts\\python.exe`
}

function windowsTools(extraEnv: Record<string, string> = {}) {
  const fs = new FakeFs('win32')
  for (const f of Object.values(W)) fs.addFile(f)
  // Tools' own lock and cache entries beside the environments are not environments.
  fs.addFile(`${ROAMING}\\uv\\data\\python\\.lock`).addDir(`${ROAMING}\\uv\\data\\python\\.cache`)
  fs.addDir(`${LOCAL}\\pypoetry\\Cache\\virtualenvs\\half-made-env`)
  const runner = fakeRunner('win32', { 'py list --format=json': missing, 'py -0p': missing }, {}, regExportHandler(fs, {}))
  const env = { Path: 'C:\\WINDOWS', LOCALAPPDATA: LOCAL, APPDATA: ROAMING, USERPROFILE: U, ProgramData: 'C:\\ProgramData', ...extraEnv }
  return { fs, runner, options: { platform: 'win32' as const, fs, env, home: U, run: runner.run, tempDir: `${LOCAL}\\Temp` } }
}

describe('Windows: tool-managed Pythons and environments', () => {
  it('finds Scoop, uv, ~/.conda/envs, micromamba, Poetry, pipenv and Hatch, and the project .venv first', async () => {
    const m = windowsTools()
    const found = await locateCandidates({ ...m.options, projectDir: 'C:\\work\\reports' })
    expect(found.map((c) => [c.path, c.source])).toEqual([
      [W.project, 'project .venv'],
      [W.scoop, 'Scoop'],
      [W.scoop311, 'Scoop'],
      [W.scoopGlobal, 'Scoop'],
      [W.uv, 'uv'],
      [W.uvOld, 'uv'],
      [W.userConda, 'conda'],
      [W.micromamba, 'micromamba'],
      [W.poetry, 'Poetry'],
      [W.pipenv, 'pipenv'],
      [W.hatch, 'Hatch']
    ])
  })

  it("follows the tools' environment variables", async () => {
    const m = windowsTools({
      UV_PYTHON_INSTALL_DIR: 'D:\\py',
      POETRY_VIRTUALENVS_PATH: 'D:\\poetry-envs',
      WORKON_HOME: 'D:\\envs',
      HATCH_DATA_DIR: 'D:\\hatch',
      MAMBA_ROOT_PREFIX: 'D:\\mamba',
      SCOOP: 'D:\\scoop'
    })
    const moved = {
      uv: 'D:\\py\\cpython-3.12.8-windows-x86_64-none\\python.exe',
      poetry: 'D:\\poetry-envs\\app-AAAAAAAA-py3.11\\Scripts\\python.exe',
      pipenv: 'D:\\envs\\app-BBBBBBBB\\Scripts\\python.exe',
      hatch: 'D:\\hatch\\env\\virtual\\app\\CCCC\\test\\Scripts\\python.exe',
      mamba: 'D:\\mamba\\envs\\gis\\python.exe',
      scoop: 'D:\\scoop\\apps\\python\\current\\python.exe'
    }
    for (const f of Object.values(moved)) m.fs.addFile(f)
    const found = (await locateCandidates(m.options)).map((c) => c.path)
    for (const f of Object.values(moved)) expect(found).toContain(f)
    // No project folder was named: no project entry.
    expect(found).not.toContain(W.project)
  })
})

// ---------------------------------------------------------------------------------------------------
// macOS

const H = '/Users/mina'
const M = {
  project: '/Users/mina/Reports/venv/bin/python3',
  uv: `${H}/.local/share/uv/python/cpython-3.13.1-macos-aarch64-none/bin/python3`,
  userConda: `${H}/.conda/envs/ml/bin/python3`,
  recorded: '/Volumes/Work/envs/shared/bin/python3',
  micromamba: `${H}/micromamba/envs/geo/bin/python3`,
  mamba2: `${H}/.local/share/mamba/envs/db/bin/python3`,
  poetry: `${H}/Library/Caches/pypoetry/virtualenvs/report-tool-Xk3jQ9aB-py3.12/bin/python3`,
  pipenv: `${H}/.local/share/virtualenvs/reports-4fG7hJ2k/bin/python`,
  hatch: `${H}/Library/Application Support/hatch/env/virtual/reports/Zq81xY0a/default/bin/python3`
}

function macTools(extraEnv: Record<string, string> = {}) {
  const fs = new FakeFs('darwin')
  for (const f of Object.values(M)) fs.addFile(f)
  fs.addFile(`${H}/.conda/environments.txt`, { text: `# conda records every prefix here\n${M.recorded.replace('/bin/python3', '')}\n` })
  fs.addFile(`${H}/.local/share/uv/python/.lock`)
  const runner = fakeRunner('darwin', { 'xcode-select -p': { exitCode: 2, stdout: '', stderr: '' } }, {})
  const env = { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', HOME: H, ...extraEnv }
  return { fs, runner, options: { platform: 'darwin' as const, fs, env, home: H, run: runner.run } }
}

describe('macOS: tool-managed Pythons and environments', () => {
  it('finds uv, conda (~/.conda/envs and environments.txt), micromamba 1 and 2, Poetry, pipenv and Hatch, the project venv first', async () => {
    const m = macTools()
    const found = await locateCandidates({ ...m.options, projectDir: '/Users/mina/Reports' })
    expect(found.map((c) => [c.path, c.source])).toEqual([
      [M.project, 'project .venv'],
      [M.uv, 'uv'],
      [M.userConda, 'conda'],
      [M.micromamba, 'micromamba'],
      [M.mamba2, 'micromamba'],
      [M.recorded, 'conda'],
      [M.poetry, 'Poetry'],
      [M.pipenv, 'pipenv'],
      [M.hatch, 'Hatch']
    ])
  })

  it('prefers .venv over venv in the working folder', async () => {
    const m = macTools()
    m.fs.addFile('/Users/mina/Reports/.venv/bin/python3')
    const found = await locateCandidates({ ...m.options, projectDir: '/Users/mina/Reports' })
    expect(found[0]).toEqual({ path: '/Users/mina/Reports/.venv/bin/python3', source: 'project .venv' })
  })

  it('reads UV_PYTHON_INSTALL_DIR and XDG_DATA_HOME', async () => {
    const m = macTools({ UV_PYTHON_INSTALL_DIR: '/opt/uv-pythons', XDG_DATA_HOME: '/data' })
    m.fs.addFile('/opt/uv-pythons/cpython-3.12.8-macos-x86_64-none/bin/python3')
    m.fs.addFile('/data/virtualenvs/app-BBBBBBBB/bin/python3')
    const found = (await locateCandidates(m.options)).map((c) => c.path)
    expect(found).toContain('/opt/uv-pythons/cpython-3.12.8-macos-x86_64-none/bin/python3')
    expect(found).toContain('/data/virtualenvs/app-BBBBBBBB/bin/python3')
    expect(found).not.toContain(M.uv)
  })
})

// ---------------------------------------------------------------------------------------------------
// A Korean Windows: user folder 홍길동, console code page 949

const KU = 'C:\\Users\\홍길동'
const KPY = `${KU}\\AppData\\Local\\Programs\\Python\\Python312\\python.exe`

describe('a Korean user name in paths', () => {
  it('comes through the registry intact: reg export is read as UTF-16LE', async () => {
    const fs = new FakeFs('win32').addFile(KPY)
    const exported = `Windows Registry Editor Version 5.00

[HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.12\\InstallPath]
@=${regString(`${KU}\\AppData\\Local\\Programs\\Python\\Python312\\`)}
"ExecutablePath"=${regString(KPY)}
`
    const runner = fakeRunner(
      'win32',
      { 'py list --format=json': missing, 'py -0p': missing },
      {},
      regExportHandler(fs, { 'HKEY_CURRENT_USER\\Software\\Python': exported })
    )
    const found = await locateCandidates({ platform: 'win32', fs, env: { Path: '' }, home: KU, run: runner.run, tempDir: 'C:\\Temp' })
    expect(found).toEqual(expect.arrayContaining([{ path: KPY, source: 'registry' }]))
  })

  it('comes through `py -0p` and `reg query` printed in cp949, decoded with the code page chcp reports', async () => {
    const fs = new FakeFs('win32').addFile(KPY)
    const runner = fakeRunner(
      'win32',
      {
        'chcp.com': { exitCode: 0, stdoutBytes: encodedBy('cp949', '활성 코드 페이지: 949\r\n') },
        'py list --format=json': { exitCode: 1, stdout: '', stderr: "can't open file 'list'" },
        'py -0p': { exitCode: 0, stdoutBytes: encodedBy('cp949', ` -V:3.12 *        ${KPY}\r\n`) },
        'reg query HKEY_CURRENT_USER\\Software\\Python /s': {
          exitCode: 0,
          stdoutBytes: encodedBy(
            'cp949',
            `\r\nHKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.12\\InstallPath\r\n    (기본값)    REG_SZ    ${KU}\\AppData\\Local\\Programs\\Python\\Python312\\\r\n    ExecutablePath    REG_SZ    ${KPY}\r\n`
          )
        }
      },
      {},
      // reg export unavailable (a locked-down machine): the reg query fallback must decode cp949 too.
      (command, args) => (command === 'reg' && args[0] === 'export' ? missing : undefined)
    )
    const found = await locateCandidates({ platform: 'win32', fs, env: { Path: '' }, home: KU, run: runner.run, tempDir: 'C:\\Temp' })
    expect(found.filter((c) => c.path === KPY).map((c) => c.source)).toEqual(['py launcher'])
    const d = { platform: 'win32' as const, fs, env: { Path: '' }, home: KU, run: runner.run, tempDir: 'C:\\Temp' }
    expect(await locateRegistry(d)).toEqual([{ path: KPY, source: 'registry' }])
  })
})

// ---------------------------------------------------------------------------------------------------
// The interpreter a workflow names, on Windows

describe('a chosen interpreter on Windows', () => {
  const fs = new FakeFs('win32').addFile('C:\\Tools\\python.bat').addFile('C:\\Python312\\python.exe')
  const runner = fakeRunner('win32', {}, { 'C:\\Python312\\python.exe': { executable: 'C:\\Python312\\python.exe', version: '3.12.4' } })
  const options = { platform: 'win32' as const, fs, env: {}, home: U, run: runner.run }

  it('refuses a file that is not an .exe, naming it, without running it', async () => {
    await expect(resolvePython(['C:\\Tools\\python.bat'], options)).rejects.toThrow(/"C:\\Tools\\python\.bat" is not a program \(\.exe\)/)
    expect(runner.probed).toEqual([])
  })

  it('says a path that is not there does not exist', async () => {
    await expect(resolvePython(['D:\\gone\\python.exe'], options)).rejects.toThrow(/"D:\\gone\\python\.exe" does not exist/)
  })

  it('takes a path without .exe for the python.exe beside it, as a terminal does', async () => {
    expect((await resolvePython(['C:\\Python312\\python'], options)).path).toBe('C:\\Python312\\python.exe')
    expect(runner.probed).toEqual(['C:\\Python312\\python.exe'])
  })
})
