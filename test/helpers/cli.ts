// The built CLI as users run it: `node bin/stepwise.js ...` in a real subprocess.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from './workflows'

export const CLI_BIN = join(REPO_ROOT, 'bin', 'stepwise.js')
const BUILT_CLI = join(REPO_ROOT, 'out', 'main', 'cli.js')

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)
  }
  return newest
}

/**
 * Builds the CLI (`npx electron-vite build`) unless out/main/cli.js is newer than every source of the
 * main process, so the tests never exercise a stale build. A lock folder keeps two test files from
 * building at once.
 */
export async function ensureCliBuilt(): Promise<void> {
  const sources = Math.max(newestMtime(join(REPO_ROOT, 'src', 'main')), newestMtime(join(REPO_ROOT, 'src', 'shared')))
  const fresh = (): boolean => existsSync(BUILT_CLI) && statSync(BUILT_CLI).mtimeMs >= sources
  if (fresh()) return
  const lock = join(REPO_ROOT, 'node_modules', '.stepwise-test-build.lock')
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      // A lock older than two minutes belongs to a build that died.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error('timed out waiting for another test file to build the CLI')
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  try {
    if (fresh()) return
    const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: REPO_ROOT, encoding: 'utf8', shell: process.platform === 'win32' })
    // The main process is built first; a renderer that does not build (someone's work in progress)
    // does not matter to the CLI as long as out/main is fresh.
    if (r.status !== 0 && !fresh()) throw new Error(`electron-vite build failed:\n${r.stdout}\n${r.stderr}`)
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the CLI to the end. `args` should carry --db so nothing touches the user's own database. */
export function runCli(
  args: string[],
  options: {
    cwd?: string
    timeoutMs?: number
    env?: NodeJS.ProcessEnv
    /** Written to its stdin (else stdin is empty). */ input?: string
  } = {}
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] as const,
      env: { ...process.env, ...options.env }
    })
    if (options.input !== undefined) child.stdin?.end(options.input)
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout!.on('data', (b: Buffer) => out.push(b))
    child.stderr!.on('data', (b: Buffer) => err.push(b))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolvePromise({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') })
    })
  })
}

/** Starts the CLI and returns at once (for killing it half-way). */
export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env }
  })
}
