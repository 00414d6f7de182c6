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

export function defaultDatabasePath(platform?: NodeJS.Platform, env?: NodeJS.ProcessEnv): string {
  return join(userDataDir(platform, env), 'stepwise.db')
}
