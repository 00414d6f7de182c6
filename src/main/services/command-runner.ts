// Runs a short helper command (taskkill, py -0p, reg query, an interpreter probe) with arguments as an
// array, never through a shell. Injected wherever a test needs to fake what such a command prints.
import { spawn } from 'node:child_process'

export interface CommandResult {
  /** null when the command could not start or was killed by the time limit. */
  exitCode: number | null
  stdout: string
  stderr: string
  /** Set when the time limit ended it. */
  timedOut?: boolean
}

export interface CommandOptions {
  timeoutMs?: number
  /**
   * How stdout and stderr bytes become text; UTF-8 when absent. Windows tools (py, reg) print in the
   * console's OEM code page, which UTF-8 would mangle for a Korean user folder.
   */
  decode?: (bytes: Uint8Array) => string
}

export type CommandRunner = (command: string, args: string[], options?: CommandOptions) => Promise<CommandResult>

export const runCommand: CommandRunner = (command, args, options = {}) =>
  new Promise((resolve) => {
    let child
    try {
      child = spawn(command, args, { windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (e) {
      resolve({ exitCode: null, stdout: '', stderr: String(e) })
      return
    }
    const out: Buffer[] = []
    const err: Buffer[] = []
    const decode = options.decode ?? ((bytes: Uint8Array) => Buffer.from(bytes).toString('utf8'))
    const stdout = (): string => decode(Buffer.concat(out))
    const stderr = (): string => decode(Buffer.concat(err))
    let settled = false
    const finish = (result: CommandResult): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(result)
    }
    // On the time limit, answer at once: a child of the hung command may keep the pipes open long after.
    const timer = options.timeoutMs
      ? setTimeout(() => {
          child.kill('SIGKILL')
          child.stdout.destroy()
          child.stderr.destroy()
          finish({ exitCode: null, stdout: stdout(), stderr: stderr(), timedOut: true })
        }, options.timeoutMs)
      : undefined
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => err.push(d))
    child.on('error', (e) => finish({ exitCode: null, stdout: stdout(), stderr: stderr() + String(e) }))
    child.on('close', (code) => finish({ exitCode: code, stdout: stdout(), stderr: stderr() }))
  })

/**
 * A longer helper command (creating a virtual environment, pip install) whose lines are shown as they come;
 * its output is kept (the last 2 MB) for the log and for explaining a failure.
 */
export function runStreaming(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; onLine?: (line: string) => void; timeoutMs?: number }
): Promise<CommandResult> {
  return new Promise((resolve) => {
    let child
    try {
      child = spawn(command, args, { windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'], env: options.env, cwd: options.cwd })
    } catch (err) {
      resolve({ exitCode: null, stdout: '', stderr: String(err) })
      return
    }
    const KEEP = 2 * 1024 * 1024
    let output = ''
    const partial = { out: '', err: '' }
    const take = (which: 'out' | 'err', text: string): void => {
      output += text
      if (output.length > KEEP * 2) output = output.slice(-KEEP)
      const lines = (partial[which] + text).split(/\r?\n|\r/)
      partial[which] = lines.pop() ?? ''
      for (const line of lines) if (line.trim()) options.onLine?.(line)
    }
    let timedOut = false
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true
          child.kill('SIGKILL')
        }, options.timeoutMs)
      : undefined
    child.stdout.setEncoding('utf8').on('data', (d: string) => take('out', d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => take('err', d))
    let settled = false
    const finish = (exitCode: number | null, extra = ''): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      for (const rest of [partial.out, partial.err]) if (rest.trim()) options.onLine?.(rest)
      resolve({ exitCode: timedOut ? null : exitCode, stdout: output.slice(-KEEP) + extra, stderr: '', timedOut })
    }
    child.on('error', (err) => finish(null, `\n${String(err)}`))
    child.on('close', (code) => finish(code))
  })
}
