// Where Stepwise keeps its data. Computed here rather than asked of Electron so that the CLI and the app
// open the same database: %APPDATA%\Stepwise, ~/Library/Application Support/Stepwise, ~/.config/Stepwise.
import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_NAME = 'Stepwise'

export function userDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (env.STEPWISE_HOME) return env.STEPWISE_HOME
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME)
}

/**
 * Facts about this machine worth keeping between commands, whichever database they use: what each Python
 * interpreter is (probed once per interpreter file) and the CLI's compiled code. bin/code-cache.js,
 * which runs before any of this is loaded, follows the same rule.
 */
export function userCacheDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (env.STEPWISE_CACHE_DIR) return env.STEPWISE_CACHE_DIR
  if (env.STEPWISE_HOME) return join(env.STEPWISE_HOME, 'cache')
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), APP_NAME, 'Cache')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', APP_NAME)
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), APP_NAME)
}

export function defaultDatabasePath(platform?: NodeJS.Platform, env?: NodeJS.ProcessEnv): string {
  return join(userDataDir(platform, env), 'stepwise.db')
}
