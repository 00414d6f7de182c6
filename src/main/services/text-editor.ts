// "Open in editor" for kept scripts and variables files: a text editor found on this machine, started with
// an argument array (never a shell string), so a script is shown and never run. VS Code first (it can go
// to a line), else the system's own plain editor: Notepad, TextEdit; on Linux xdg-open, only for types that
// are not executable, since it hands the file to whatever the desktop associates with it.
import { spawn } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { posix, win32 } from 'node:path'
import { errorMessage, type ErrorMessage } from '../../shared/error-messages'
import { isExecutableType } from './os-open-guard'

export interface EditorLaunch {
  name: 'VS Code' | 'Notepad' | 'TextEdit' | 'xdg-open'
  command: string
  args: string[]
}

export interface EditorSearch {
  platform: NodeJS.Platform
  env: NodeJS.ProcessEnv
  home: string
  /** Whether an executable file is at this path. */
  isProgram(path: string): boolean
}

const isProgram = (path: string): boolean => {
  try {
    if (!statSync(path).isFile()) return false
    if (process.platform !== 'win32') accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

const defaultSearch = (): EditorSearch => ({ platform: process.platform, env: process.env, home: homedir(), isProgram })

/** Where VS Code's program is, from PATH first, then its usual install folders. */
function findVsCode({ platform, env, home, isProgram: exists }: EditorSearch): string | null {
  const p = platform === 'win32' ? win32 : posix
  const pathDirs = (env.PATH ?? env.Path ?? '').split(p.delimiter).filter(Boolean)
  const candidates: string[] = []
  if (platform === 'win32') {
    // PATH holds bin\code.cmd, which Node cannot start without a shell; Code.exe sits one folder up and
    // takes the same arguments.
    for (const dir of pathDirs) if (exists(p.join(dir, 'code.cmd'))) candidates.push(p.join(dir, '..', 'Code.exe'))
    for (const root of [env.LOCALAPPDATA && p.join(env.LOCALAPPDATA, 'Programs'), env.ProgramFiles, env['ProgramFiles(x86)']]) {
      if (root) candidates.push(p.join(root, 'Microsoft VS Code', 'Code.exe'))
    }
  } else {
    for (const dir of pathDirs) candidates.push(p.join(dir, 'code'))
    if (platform === 'darwin') {
      const inBundle = 'Visual Studio Code.app/Contents/Resources/app/bin/code'
      candidates.push(p.join('/Applications', inBundle), p.join(home, 'Applications', inBundle))
    } else {
      candidates.push('/usr/bin/code', '/snap/bin/code', '/usr/share/code/bin/code')
    }
  }
  return candidates.find((c) => exists(c)) ?? null
}

/** The editor to start for this file, or null when this machine has none Stepwise may use for it. */
export function findTextEditor(file: string, line: number, search: EditorSearch = defaultSearch()): EditorLaunch | null {
  const code = findVsCode(search)
  if (code) return { name: 'VS Code', command: code, args: ['--goto', `${file}:${line}`] }
  if (search.platform === 'win32') {
    const notepad = win32.join(search.env.SystemRoot ?? search.env.windir ?? 'C:\\Windows', 'System32', 'notepad.exe')
    return { name: 'Notepad', command: notepad, args: [file] }
  }
  if (search.platform === 'darwin') return { name: 'TextEdit', command: '/usr/bin/open', args: ['-a', 'TextEdit', file] }
  if (isExecutableType(file)) return null
  return { name: 'xdg-open', command: 'xdg-open', args: [file] }
}

export class NoTextEditorError extends Error {
  readonly explanation: ErrorMessage
  constructor(file: string) {
    super(`No text editor was found to open "${file}" safely. Install Visual Studio Code, or read the file in Stepwise's viewer.`)
    this.name = 'NoTextEditorError'
    this.explanation = errorMessage('noTextEditor', { file })
  }
}

/** Starts the editor on its own (Stepwise does not wait for it) and resolves once it has started. */
export function openInTextEditor(file: string, line: number, search: Partial<EditorSearch> = {}): Promise<EditorLaunch> {
  const launch = findTextEditor(file, line, { ...defaultSearch(), ...search })
  if (!launch) return Promise.reject(new NoTextEditorError(file))
  return new Promise((resolve, reject) => {
    const child = spawn(launch.command, launch.args, { detached: true, stdio: 'ignore', shell: false, windowsHide: false })
    child.once('error', (err) =>
      reject(
        Object.assign(new Error(`Could not start ${launch.name} (${launch.command}): ${err.message}`), {
          explanation: errorMessage('editorFailed', { editor: launch.name }, `${launch.command}: ${err.message}`)
        })
      )
    )
    child.once('spawn', () => {
      child.unref()
      resolve(launch)
    })
  })
}
