// The environment a step's Python gets: the user's own (PATH, HOME, APPDATA, proxies, PYTHONPATH, ...)
// without what belongs to the runtime Stepwise itself runs in. ELECTRON_RUN_AS_NODE or NODE_OPTIONS would
// change how any Node or Electron program the script starts behaves; npm_*, VITEST* and STEPWISE_* only
// describe how Stepwise was launched.
import { interpreterEnvironment } from '../python/conda-activation'

const RUNTIME_PREFIXES = ['ELECTRON_', 'NPM_', 'VITEST', 'STEPWISE_', 'NODE_CHANNEL_']
const RUNTIME_NAMES = new Set(['NODE_OPTIONS', 'NODE_UNIQUE_ID', 'NODE_ENV', 'INIT_CWD', 'ORIGINAL_XDG_CURRENT_DESKTOP'])

/** Whether a variable belongs to Stepwise's, Node's or Electron's runtime rather than to the user. */
export function isRuntimeVariable(name: string): boolean {
  // Windows names are case-insensitive (npm writes npm_config_*, a user may write Electron_...).
  const upper = name.toUpperCase()
  return RUNTIME_NAMES.has(upper) || RUNTIME_PREFIXES.some((p) => upper.startsWith(p))
}

/**
 * What a step needs from the system to work at all when its workflow asks for a clean environment: finding
 * programs, temp and home folders, the locale, Python's own settings, and on Windows what the C runtime,
 * sockets, `subprocess` (COMSPEC) and `site` (APPDATA) read. Windows names are compared upper-cased.
 */
const ESSENTIAL_NAMES = new Set([
  'PATH',
  'PATHEXT',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TMPDIR',
  'TEMP',
  'TMP',
  'LANG',
  'LANGUAGE',
  'TZ',
  'VIRTUAL_ENV',
  'SYSTEMROOT',
  'SYSTEMDRIVE',
  'WINDIR',
  'COMSPEC',
  'USERPROFILE',
  'USERNAME',
  'USERDOMAIN',
  'HOMEDRIVE',
  'HOMEPATH',
  'APPDATA',
  'LOCALAPPDATA',
  'PROGRAMDATA',
  'PROGRAMFILES',
  'PROGRAMFILES(X86)',
  'PROGRAMW6432',
  'COMMONPROGRAMFILES',
  'COMMONPROGRAMFILES(X86)',
  'NUMBER_OF_PROCESSORS',
  'PROCESSOR_ARCHITECTURE',
  'OS'
])
const ESSENTIAL_PREFIXES = ['LC_', 'PYTHON']

export function isEssentialVariable(name: string): boolean {
  const upper = name.toUpperCase()
  return ESSENTIAL_NAMES.has(upper) || ESSENTIAL_PREFIXES.some((p) => upper.startsWith(p))
}

export interface StepEnvOptions {
  /** Only the system's essentials are kept from the parent (the workflow's clean-environment option). */
  clean?: boolean
  /** The workflow's own variables, over the parent's. */
  workflow?: Record<string, string>
  /** Names the step gets later (its secrets, handed over at its start): the parent's are dropped. */
  alsoSet?: string[]
  platform?: NodeJS.Platform
  /** The step's interpreter: a conda environment's is activated (its PATH entries, so DLLs load). */
  python?: string
}

/**
 * The parent's environment minus the runtime's variables (or only its essentials, when clean), as the
 * step's interpreter needs it (a conda environment activated), then the workflow's variables, then what the
 * protocol needs (UTF-8, unbuffered) and `extra`.
 */
export function stepEnvironment(
  parent: NodeJS.ProcessEnv,
  extra: Record<string, string> = {},
  options: StepEnvOptions = {}
): Record<string, string> {
  let env: Record<string, string> = {}
  for (const [name, value] of Object.entries(parent)) {
    if (value === undefined || isRuntimeVariable(name)) continue
    if (!options.clean || isEssentialVariable(name)) env[name] = value
  }
  if (options.python) env = interpreterEnvironment(env, options.python, options.platform)
  // On Windows a workflow's "Path" must replace the parent's "PATH", not sit beside it.
  const fold = (options.platform ?? process.platform) === 'win32' ? (n: string) => n.toUpperCase() : (n: string) => n
  const replaced = new Set([...Object.keys(options.workflow ?? {}), ...(options.alsoSet ?? [])].map(fold))
  if (replaced.size) for (const existing of Object.keys(env)) if (replaced.has(fold(existing))) delete env[existing]
  return { ...env, ...options.workflow, PYTHONIOENCODING: 'utf-8', PYTHONUNBUFFERED: '1', ...extra }
}
