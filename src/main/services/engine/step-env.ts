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
 * The parent's environment minus the runtime's variables, as the step's interpreter needs it (a conda
 * environment activated), plus what the protocol needs (UTF-8, unbuffered).
 */
export function stepEnvironment(
  parent: NodeJS.ProcessEnv,
  extra: Record<string, string> = {},
  interpreter?: { python: string; platform?: NodeJS.Platform }
): Record<string, string> {
  let env: Record<string, string> = {}
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && !isRuntimeVariable(name)) env[name] = value
  }
  if (interpreter) env = interpreterEnvironment(env, interpreter.python, interpreter.platform)
  return { ...env, PYTHONIOENCODING: 'utf-8', PYTHONUNBUFFERED: '1', ...extra }
}
