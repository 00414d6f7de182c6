// Runs a short helper command (taskkill, py -0p, reg query, an interpreter probe) with arguments as an
// array, never through a shell. Injected wherever a test needs to fake what such a command prints.
import { spawn } from 'node:child_process'

export interface CommandResult {
  /** null when the command could not start or was killed by the time limit. */
  exitCode: number | null
  stdout: string
  stderr: string
}

export type CommandRunner = (command: string, args: string[], options?: { timeoutMs?: number }) => Promise<CommandResult>

export const runCommand: CommandRunner = (command, args, options = {}) =>
  new Promise((resolve) => {
    let child
    try {
      child = spawn(command, args, { windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (err) {
      resolve({ exitCode: null, stdout: '', stderr: String(err) })
      return
    }
    let stdout = ''
    let stderr = ''
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
    child.on('error', (err) => {
      clearTimeout(timer)
      resolve({ exitCode: null, stdout, stderr: stderr + String(err) })
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ exitCode: code, stdout, stderr })
    })
  })
