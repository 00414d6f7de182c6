// The command line of a step's Python. Everywhere it is the reference's `python script.py --variables-file
// vars.json`; on Windows the script is run through the job-object bootstrap (resources/python), which
// behaves the same for the script and ends every process the step started when the step ends.
import bootstrapSource from '../../../../resources/python/step_bootstrap.py?raw'
import debugBootstrapSource from '../../../../resources/python/debug_bootstrap.py?raw'

export const BOOTSTRAP_FILE_NAME = 'stepwise_step_bootstrap.py'
export const DEBUG_BOOTSTRAP_FILE_NAME = 'stepwise_debug_bootstrap.py'
export { bootstrapSource, debugBootstrapSource }

/** Where a debugged step's bootstrap connects (127.0.0.1) and the one-time token it proves itself with. */
export interface DebugAttach {
  port: number
  token: string
}

/** The environment by which the debug bootstrap finds its debugger; it removes both before the script runs. */
export function debugEnvironment(attach: DebugAttach): Record<string, string> {
  return { STEPWISE_DEBUG_PORT: String(attach.port), STEPWISE_DEBUG_TOKEN: attach.token }
}

export function stepArguments(platform: NodeJS.Platform, scriptPath: string, variablesPath: string, bootstrapPath: string): string[] {
  const reference = [scriptPath, '--variables-file', variablesPath]
  return platform === 'win32' ? [bootstrapPath, ...reference] : reference
}

/** Under the debugger the script runs through the debug bootstrap, on every platform (it joins the job object on Windows). */
export function debugArguments(scriptPath: string, variablesPath: string, debugBootstrapPath: string): string[] {
  return [debugBootstrapPath, scriptPath, '--variables-file', variablesPath]
}
