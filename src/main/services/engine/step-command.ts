// The command line of a step's Python. Everywhere it is the reference's `python script.py --variables-file
// vars.json`; on Windows the script is run through the job-object bootstrap (resources/python), which
// behaves the same for the script and ends every process the step started when the step ends.
import bootstrapSource from '../../../../resources/python/step_bootstrap.py?raw'

export const BOOTSTRAP_FILE_NAME = 'stepwise_step_bootstrap.py'
export { bootstrapSource }

export function stepArguments(platform: NodeJS.Platform, scriptPath: string, variablesPath: string, bootstrapPath: string): string[] {
  const reference = [scriptPath, '--variables-file', variablesPath]
  return platform === 'win32' ? [bootstrapPath, ...reference] : reference
}
