// A fake machine for the locators: a file system laid out like Windows or macOS, helper commands that
// answer with canned output (text, or bytes in a console code page), and interpreters that answer the probe.
import { posix, win32 } from 'node:path'
import type { CommandOptions, CommandResult, CommandRunner } from '../../src/main/services/command-runner'
import type { DiscoveryFs } from '../../src/main/services/python/discovery-env'

interface FakeFile {
  mtime: number
  realpath?: string
  text?: string
  bytes?: Uint8Array
}

export class FakeFs implements DiscoveryFs {
  private files = new Map<string, FakeFile>()
  private children = new Map<string, Set<string>>()
  private p: typeof posix

  constructor(private platform: 'win32' | 'darwin' | 'linux') {
    this.p = platform === 'win32' ? win32 : posix
  }

  private key(path: string): string {
    let k = this.p.normalize(path)
    while (k.length > 1 && /[\\/]$/.test(k) && !/^[A-Za-z]:\\$/.test(k)) k = k.slice(0, -1)
    return this.platform === 'win32' ? k.toLowerCase().replace(/\\$/, '') : k
  }

  addFile(path: string, file: Partial<FakeFile> = {}): this {
    this.files.set(this.key(path), { mtime: 1000, ...file })
    let child = path
    let parent = this.p.dirname(child)
    while (parent !== child) {
      const k = this.key(parent)
      if (!this.children.has(k)) this.children.set(k, new Set())
      this.children.get(k)!.add(this.p.basename(child))
      child = parent
      parent = this.p.dirname(child)
    }
    return this
  }

  addDir(path: string): this {
    return this.addFile(this.p.join(path, '.keep'))
  }

  touch(path: string, mtime: number): void {
    this.files.get(this.key(path))!.mtime = mtime
  }

  exists(path: string): boolean {
    const k = this.key(path)
    return this.files.has(k) || this.children.has(k)
  }
  isDirectory(path: string): boolean {
    return this.children.has(this.key(path))
  }
  list(path: string): string[] {
    return [...(this.children.get(this.key(path)) ?? [])].filter((n) => n !== '.keep')
  }
  mtimeMs(path: string): number | null {
    const k = this.key(path)
    return this.files.get(k)?.mtime ?? (this.children.has(k) ? 1 : null)
  }
  realpath(path: string): string {
    return this.files.get(this.key(path))?.realpath ?? path
  }
  readText(path: string): string | null {
    return this.files.get(this.key(path))?.text ?? null
  }
  readBytes(path: string): Uint8Array | null {
    const f = this.files.get(this.key(path))
    return f?.bytes ?? (f?.text !== undefined ? Buffer.from(f.text, 'utf8') : null)
  }
  remove(path: string): void {
    this.files.delete(this.key(path))
  }
}

export interface FakePython {
  executable: string
  version: string
  prefix?: string
  architecture?: string
}
/** What a helper command answers: text, or bytes in the console's code page that the caller's decoder reads. */
export type FakeCommand = CommandResult | { exitCode: number; stdoutBytes: Uint8Array }
export type FakeAnswer = FakePython | CommandResult
/** Answers commands whose arguments vary (a temp file name): undefined passes them on. */
export type FakeHandler = (command: string, args: string[], options: CommandOptions) => CommandResult | undefined

/** Answers helper commands by name and probes by interpreter path; records every call. */
export function fakeRunner(
  platform: 'win32' | 'darwin' | 'linux',
  commands: Record<string, FakeCommand>,
  pythons: Record<string, FakeAnswer>,
  handler?: FakeHandler
) {
  const fold = (s: string): string => (platform === 'win32' ? s.toLowerCase() : s)
  const byPath = new Map(Object.entries(pythons).map(([k, v]) => [fold(k), v]))
  const calls: string[][] = []
  const probed: string[] = []
  let inFlight = 0
  let maxInFlight = 0
  const run: CommandRunner = async (command, args, options = {}) => {
    calls.push([command, ...args])
    if (args[0] === '-I') {
      probed.push(command)
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      await new Promise((r) => setTimeout(r, 5))
      inFlight--
      const answer = byPath.get(fold(command))
      if (!answer) return { exitCode: null, stdout: '', stderr: `Error: spawn ${command} ENOENT` }
      if ('exitCode' in answer) return answer
      const info = {
        executable: answer.executable,
        prefix:
          answer.prefix ?? (platform === 'win32' ? win32.dirname(answer.executable) : posix.dirname(posix.dirname(answer.executable))),
        version: answer.version,
        architecture: answer.architecture ?? '64bit',
        major: Number(answer.version.split('.')[0])
      }
      return { exitCode: 0, stdout: JSON.stringify(info) + (platform === 'win32' ? '\r\n' : '\n'), stderr: '' }
    }
    const handled = handler?.(command, args, options)
    if (handled) return handled
    const answer = commands[[command, ...args].join(' ')]
    if (answer && 'stdoutBytes' in answer) {
      const decode = options.decode ?? ((b: Uint8Array) => Buffer.from(b).toString('utf8'))
      return { exitCode: answer.exitCode, stdout: decode(answer.stdoutBytes), stderr: '' }
    }
    return answer ?? { exitCode: null, stdout: '', stderr: `Error: spawn ${command} ENOENT` }
  }
  return { run, calls, probed, maxInFlight: () => maxInFlight }
}

export const ok = (stdout: string): CommandResult => ({ exitCode: 0, stdout: stdout.replace(/\n/g, '\r\n'), stderr: '' })
export const REG_NOT_FOUND: CommandResult = {
  exitCode: 1,
  stdout: '',
  stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n'
}

/** A .reg file as `reg export` writes it: UTF-16LE with a byte order mark, CRLF line ends. */
export function regExportBytes(text: string): Uint8Array {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf16le')])
}

/** A string as a .reg file writes it inside quotes: backslashes and quotes escaped. */
export function regString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/** REG_EXPAND_SZ as a .reg file writes it: UTF-16LE bytes in hex, wrapped over lines ending in a backslash. */
export function regExpandString(text: string): string {
  const bytes = [...Buffer.from(`${text}\0`, 'utf16le')].map((b) => b.toString(16).padStart(2, '0'))
  const rows: string[] = []
  for (let i = 0; i < bytes.length; i += 24) rows.push(bytes.slice(i, i + 24).join(','))
  return `hex(2):${rows.join(',\\\n  ')}`
}

/**
 * Answers `reg export <key> <file> /y` as reg.exe does: writes the key's .reg file into the fake file
 * system, or exits 1 when the key does not exist.
 */
export function regExportHandler(fs: FakeFs, exports: Record<string, string>): FakeHandler {
  return (command, args) => {
    if (command !== 'reg' || args[0] !== 'export') return undefined
    const text = Object.entries(exports).find(([key]) => key.toLowerCase() === args[1].toLowerCase())?.[1]
    if (text === undefined)
      return { exitCode: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n' }
    fs.addFile(args[2], { bytes: regExportBytes(text) })
    return { exitCode: 0, stdout: 'The operation completed successfully.\r\n', stderr: '' }
  }
}
