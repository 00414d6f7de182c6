// Opening a debug run's kept files safely: the open verb (which RUNS a .py on Windows) never gets a script
// or an executable type; kept files are read in the app or handed to a text editor started with an argument
// array; a past run's working folder is trusted as that folder only, never for the files under it.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { MAX_VIEWED_FILE_BYTES, type IpcResult } from '../src/shared/ipc-contract'
import { createRequestHandlers, dispatchRequest, type RequestHandlers } from '../src/main/services/request-handlers'
import { assertSafeToOpen, isExecutableType } from '../src/main/services/os-open-guard'
import { findTextEditor, openInTextEditor, type EditorSearch } from '../src/main/services/text-editor'
import type { Store } from '../src/main/services/store'
import type { WorkflowRunner } from '../src/main/services/engine'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { fakePlatform } from './helpers/platform'
import { emit, openRealServices, py, saveAndRun, step, workflow } from './helpers/workflows'

const osShell = vi.hoisted(() => ({ openPath: vi.fn(async (_path: string) => ''), showItemInFolder: vi.fn() }))
vi.mock('electron', () => {
  const electron = { app: { getVersion: () => '0.0.0', getLocale: () => 'en' }, dialog: {}, shell: osShell }
  return { ...electron, default: electron }
})

const EXECUTABLE_TYPES = [
  ...['.py', '.pyw', '.bat', '.cmd', '.ps1', '.exe', '.sh', '.command'],
  ...['.vbs', '.js', '.msi', '.lnk', '.com', '.scr', '.jar', '.app', '.hta', '.wsf', '.reg', '.url', '.desktop', '.pif']
]

let dir: string
let store: Store
let runner: WorkflowRunner
let handlers: RequestHandlers
const platformCalls: { kind: string; path: string }[] = []
const call = (channel: string, params: unknown): Promise<IpcResult<unknown>> => dispatchRequest(handlers, channel, params)

beforeAll(() => {
  dir = makeTempDir('stepwise-kept-')
  ;({ store, runner } = openRealServices(dir))
  handlers = createRequestHandlers({
    store,
    runner,
    platform: fakePlatform({
      openPath: async (path) => void platformCalls.push({ kind: 'openPath', path }),
      showItemInFolder: (path) => void platformCalls.push({ kind: 'showItemInFolder', path }),
      openInEditor: async (path) => (platformCalls.push({ kind: 'openInEditor', path }), 'VS Code')
    })
  })
})
afterAll(() => {
  store.close()
  cleanupTempDirs()
})
beforeEach(() => {
  platformCalls.length = 0
  osShell.openPath.mockClear()
})

async function debugRunIn(workDir: string) {
  const e = await saveAndRun(
    { store, runner },
    workflow('Kept', [step(0, '보고서 Step', py('# the kept script', emit('{"ok": True}')))], { variables: { 이름: '김민수' } }),
    { workingDirectory: workDir, debug: true }
  )
  expect(e.status).toBe('SUCCESS')
  const kept = e.steps[0]
  return { script: kept.script_path!, variables: kept.variables_path! }
}

describe('kept files of a debug run', () => {
  it('are read in the app and handed to a text editor, and the script never goes to the open verb', async () => {
    const workDir = join(dir, 'work')
    mkdirSync(workDir)
    const { script, variables } = await debugRunIn(workDir)

    const text = await call('shell:readKeptFile', { path: script })
    expect(text).toMatchObject({ ok: true, value: { path: script, truncated: false } })
    expect(text.ok && (text.value as { text: string }).text).toContain('# the kept script')
    const vars = await call('shell:readKeptFile', { path: variables })
    expect(JSON.parse((vars as { ok: true; value: { text: string } }).value.text)).toMatchObject({ 이름: '김민수' })

    expect(await call('shell:openInEditor', { path: script, line: 7 })).toEqual({ ok: true, value: { editor: 'VS Code' } })
    const refused = await call('shell:openPath', { path: script })
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(!refused.ok && refused.error.message).toMatch(/script or an executable type/)
    // A variables file is data: the system may open it, and show it in its folder.
    expect(await call('shell:openPath', { path: variables })).toEqual({ ok: true, value: { opened: true } })
    expect(await call('shell:showInFolder', { path: script })).toEqual({ ok: true, value: { shown: true } })
    expect(platformCalls).toEqual([
      { kind: 'openInEditor', path: script },
      { kind: 'openPath', path: variables },
      { kind: 'showItemInFolder', path: script }
    ])
  })

  it('a long file comes back cut at 5 MB with the truncation marked, never split inside a character', async () => {
    const workDir = join(dir, 'long')
    mkdirSync(workDir)
    const { variables } = await debugRunIn(workDir)
    // The run is over; make the kept file huge (a step's variables can be), with Korean across the cut.
    writeFileSync(variables, '가'.repeat(Math.ceil(MAX_VIEWED_FILE_BYTES / 3) + 100))
    const r = (await call('shell:readKeptFile', { path: variables })) as {
      ok: true
      value: { text: string; truncated: boolean; size: number }
    }
    expect(r.ok).toBe(true)
    expect(r.value.truncated).toBe(true)
    expect(r.value.size).toBeGreaterThan(MAX_VIEWED_FILE_BYTES)
    expect(Buffer.byteLength(r.value.text)).toBeLessThanOrEqual(MAX_VIEWED_FILE_BYTES)
    expect(r.value.text).toMatch(/^가+$/)
  })
})

describe("a past run's working folder", () => {
  it('may be shown or opened as a folder, but no file under it is trusted', async () => {
    const workDir = join(dir, 'shared folder')
    mkdirSync(workDir)
    const secret = join(workDir, 'passwords.txt')
    writeFileSync(secret, 'hunter2')
    await debugRunIn(workDir)

    expect(await call('shell:openPath', { path: workDir })).toEqual({ ok: true, value: { opened: true } })
    expect(await call('shell:showInFolder', { path: workDir })).toEqual({ ok: true, value: { shown: true } })
    for (const channel of ['shell:openPath', 'shell:readKeptFile', 'shell:openInEditor', 'shell:showInFolder']) {
      expect(await call(channel, { path: secret }), channel).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    // The folder itself is no file to read or edit.
    expect(await call('shell:readKeptFile', { path: workDir })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await call('shell:openInEditor', { path: workDir })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(platformCalls).toEqual([
      { kind: 'openPath', path: workDir },
      { kind: 'showItemInFolder', path: workDir }
    ])
  })

  it('named like an app bundle is not opened (on macOS opening Foo.app starts it)', async () => {
    const bundle = join(dir, 'Tool.app')
    mkdirSync(bundle)
    await debugRunIn(bundle)
    expect(await call('shell:openPath', { path: bundle })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await call('shell:showInFolder', { path: bundle })).toEqual({ ok: true, value: { shown: true } })
    expect(platformCalls).toEqual([{ kind: 'showItemInFolder', path: bundle }])
  })
})

describe('the open verb', () => {
  it('is never called by the shell for a script or an executable type', async () => {
    const { electronPlatform } = await import('../src/main/app/desktop-platform')
    const platform = electronPlatform(() => null)
    const folder = makeTempDir('stepwise-open-verb-')
    for (const ext of EXECUTABLE_TYPES) {
      for (const name of [`run${ext}`, `RUN${ext.toUpperCase()}`, `run${ext}.`, `run${ext} `]) {
        const file = join(folder, name)
        if (ext === '.app') mkdirSync(file, { recursive: true })
        else writeFileSync(file, 'x')
        await expect(platform.openPath(file), name).rejects.toThrow(/does not hand/)
      }
    }
    const noExtension = join(folder, 'installer')
    writeFileSync(noExtension, '#!/bin/sh\n')
    await expect(platform.openPath(noExtension)).rejects.toThrow(/without an extension/)
    expect(osShell.openPath).not.toHaveBeenCalled()

    // Data files and folders still open.
    const report = join(folder, 'report.csv')
    writeFileSync(report, 'a,b\n')
    await platform.openPath(report)
    await platform.openPath(folder)
    expect(osShell.openPath.mock.calls.map((c) => c[0])).toEqual([report, folder])
  })

  it('judges names the way Windows and macOS do', () => {
    for (const path of [
      'C:\\Users\\김\\step.py',
      'C:\\x\\RUN.BAT',
      '/tmp/a.py.',
      '/tmp/a.cmd  ',
      'C:\\x\\data.json:evil.py',
      '/x/Tool.app/'
    ]) {
      expect(isExecutableType(path), path).toBe(true)
    }
    for (const path of ['C:\\x\\vars.json', '/tmp/report.csv', '/tmp/notes.txt', '/tmp/folder']) {
      expect(isExecutableType(path), path).toBe(false)
    }
    const file = { isFile: () => true, isDirectory: () => false }
    if (process.platform !== 'win32') {
      const marked = join(makeTempDir('stepwise-mode-'), 'data.txt')
      writeFileSync(marked, 'x')
      chmodSync(marked, 0o755)
      expect(() => assertSafeToOpen(marked, { ...file, mode: 0o100755 })).toThrow(/marked executable/)
    }
    expect(() => assertSafeToOpen('/tmp/data.txt', { ...file, mode: 0o100644 })).not.toThrow()
  })
})

describe('open in editor', () => {
  const search = (platform: NodeJS.Platform, env: NodeJS.ProcessEnv, programs: string[]): EditorSearch => ({
    platform,
    env,
    home: platform === 'win32' ? 'C:\\Users\\kim' : '/Users/kim',
    isProgram: (p) => programs.includes(p)
  })

  it('finds VS Code on PATH or where it installs, else the system editor; never a shell', () => {
    const codeExe = 'C:\\Users\\kim\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe'
    const codeCmd = 'C:\\Users\\kim\\AppData\\Local\\Programs\\Microsoft VS Code\\bin\\code.cmd'
    const onPath = search('win32', { Path: 'C:\\Windows;C:\\Users\\kim\\AppData\\Local\\Programs\\Microsoft VS Code\\bin' }, [
      codeExe,
      codeCmd
    ])
    // A Code.exe next to some other bin folder is not VS Code's.
    expect(findTextEditor('C:\\t\\s.py', 1, search('win32', { Path: 'C:\\Tools\\bin' }, ['C:\\Tools\\Code.exe']))?.name).toBe('Notepad')
    expect(findTextEditor('C:\\t\\s.py', 12, onPath)).toEqual({ name: 'VS Code', command: codeExe, args: ['--goto', 'C:\\t\\s.py:12'] })
    const installed = search('win32', { LOCALAPPDATA: 'C:\\Users\\kim\\AppData\\Local', PATH: '' }, [codeExe])
    expect(findTextEditor('C:\\t\\s.py', 1, installed)?.command).toBe(codeExe)
    expect(findTextEditor('C:\\t\\s.py', 1, search('win32', { SystemRoot: 'C:\\Windows' }, []))).toEqual({
      name: 'Notepad',
      command: 'C:\\Windows\\System32\\notepad.exe',
      args: ['C:\\t\\s.py']
    })

    const macCode = '/Applications/Visual Studio Code.app/Contents/Resources/app/bin/code'
    expect(findTextEditor('/t/s.py', 3, search('darwin', { PATH: '/usr/bin' }, [macCode]))?.command).toBe(macCode)
    expect(findTextEditor('/t/s.py', 3, search('darwin', { PATH: '/usr/bin' }, []))).toEqual({
      name: 'TextEdit',
      command: '/usr/bin/open',
      args: ['-a', 'TextEdit', '/t/s.py']
    })

    expect(findTextEditor('/t/s.py', 3, search('linux', { PATH: '/opt/bin' }, ['/opt/bin/code']))?.command).toBe('/opt/bin/code')
    // xdg-open hands the file to whatever the desktop associates with it: only for data types.
    expect(findTextEditor('/t/s.py', 3, search('linux', { PATH: '/usr/bin' }, []))).toBeNull()
    expect(findTextEditor('/t/vars.json', 1, search('linux', { PATH: '/usr/bin' }, []))?.name).toBe('xdg-open')
  })

  it.skipIf(process.platform === 'win32')('starts the editor as a real process with the file and line as arguments', async () => {
    const bin = makeTempDir('stepwise-editor-')
    const record = join(bin, 'args.txt')
    const fake = join(bin, 'code')
    writeFileSync(fake, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > '${record}'\n`)
    chmodSync(fake, 0o755)
    const file = join(bin, "it's $HOME; rm -rf ~ .py")
    writeFileSync(file, 'print(1)\n')
    const launch = await openInTextEditor(file, 4, { env: { PATH: bin }, platform: 'linux' })
    expect(launch.name).toBe('VS Code')
    await vi.waitFor(() => expect(readFileSync(record, 'utf8')).toBe(`--goto\n${file}:4\n`))
  })

  it('says so when no editor may open the file', async () => {
    await expect(openInTextEditor('/t/s.py', 1, { env: { PATH: '' }, platform: 'linux', isProgram: () => false })).rejects.toThrow(
      /No text editor was found .*viewer/
    )
  })
})
