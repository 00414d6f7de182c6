// An app started from the Finder or the Dock gets launchd's PATH (/usr/bin:/bin:/usr/sbin:/sbin), not the
// one the user's shell profile builds, so a step that runs `git`, `brew`-installed tools or a pyenv shim
// would fail where the same script works in Terminal. The login shell is asked once, with a time limit,
// and its PATH goes first in this process's PATH: steps and discovery both see it.
import { runCommand, type CommandRunner } from '../command-runner'

const MARK = '__STEPWISE_ENV_b41d__'
// /usr/bin/env prints the environment the profile built; the marks cut away whatever the profile itself
// prints (a greeting, nvm's notes), and the same script works in zsh, bash and fish.
const SCRIPT = `echo ${MARK}; /usr/bin/env; echo ${MARK}`
const SHELL_TIMEOUT_MS = 10_000

/** A terminal sets TERM; launchd, which starts apps from the Finder, does not. */
export function startedFromTerminal(env: NodeJS.ProcessEnv): boolean {
  return !!(env.TERM || env.TERM_PROGRAM)
}

/** The variables printed between the marks; a line that is not NAME=value continues the value before it. */
export function parseMarkedEnv(stdout: string): Record<string, string> | null {
  const start = stdout.indexOf(MARK)
  const end = stdout.lastIndexOf(MARK)
  if (start < 0 || end <= start) return null
  const vars: Record<string, string> = {}
  let last: string | null = null
  for (const line of stdout.slice(start + MARK.length, end).split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line)
    if (m) vars[(last = m[1])] = m[2]
    else if (last && line) vars[last] += `\n${line}`
  }
  return vars
}

/** `first`'s entries, then those of `then` not already there: nothing the app had is lost. */
export function mergePathLists(first: string, then: string): string {
  const seen = new Set<string>()
  const out: string[] = []
  for (const entry of [...first.split(':'), ...then.split(':')]) {
    if (!entry || seen.has(entry)) continue
    seen.add(entry)
    out.push(entry)
  }
  return out.join(':')
}

/** The PATH the user's login shell builds, or null when the shell does not answer in time or at all. */
export async function readLoginShellPath(env: NodeJS.ProcessEnv, run: CommandRunner = runCommand): Promise<string | null> {
  const shell = env.SHELL || '/bin/zsh'
  // -i and -l: the profile files (.zprofile, .zshrc, .bash_profile) that set PATH are read only then.
  const result = await run(shell, ['-ilc', SCRIPT], { timeoutMs: SHELL_TIMEOUT_MS })
  // Some profiles end with a failing command; the environment printed before that is still right.
  const vars = parseMarkedEnv(result.stdout)
  return vars?.PATH || null
}

let adopted: Promise<void> | null = null

/**
 * Once per process, on macOS when not started from a terminal: puts the login shell's PATH in front of
 * env.PATH. Started by the app at launch; runs wait for it through loginShellPathSettled.
 */
export function adoptLoginShellPath(
  options: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; run?: CommandRunner } = {}
): Promise<void> {
  if (adopted) return adopted
  const env = options.env ?? process.env
  const platform = options.platform ?? process.platform
  if (platform !== 'darwin' || startedFromTerminal(env)) return (adopted = Promise.resolve())
  adopted = readLoginShellPath(env, options.run)
    .then((path) => {
      if (path) env.PATH = mergePathLists(path, env.PATH ?? '')
    })
    .catch(() => undefined)
  return adopted
}

/** Resolves once the login shell's PATH is in place, or at once when it was never asked for. */
export function loginShellPathSettled(): Promise<void> {
  return adopted ?? Promise.resolve()
}

/** Forgets the answer: for tests, which adopt into an env object of their own. */
export function resetLoginShellPath(): void {
  adopted = null
}
