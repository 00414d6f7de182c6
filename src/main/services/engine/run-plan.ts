// Planning a run before anything is recorded: the working folder, the interpreter, debug mode, the
// default timeout and the steps' environment (secrets read now), from the run's options over the
// workflow's over the settings. Bad choices are refused
// here, as RunInputError, so a run that cannot start leaves no record.
import { mkdir, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import type { Settings, Workflow } from '../../../shared/model'
import { resolvePython, type ProbeCache } from '../python'
import { createRedactor, SecretStoreUnavailableError, type Redactor, type SecretStore } from '../secrets'
import { isSecretRef, referencedSecrets } from '../../../shared/workflow-env'
import { RunInputError, type RunOptions, type StepEnvPlan } from './run-options'

export interface RunPlan {
  workingDirectory: string
  python: string
  debug: boolean
  defaultTimeout: number
  env: StepEnvPlan
  redactor: Redactor | null
}

export async function planRun(
  workflow: Workflow,
  options: RunOptions,
  settings: Settings,
  env: {
    /** Where steps run when neither the run, the workflow nor the settings name a folder; else the current one. */
    defaultWorkingDirectory?: string
    probeCache?: ProbeCache
    /** Where the workflow's secrets are read from. */
    secrets?: Pick<SecretStore, 'values'>
    /** Whether a run of this workflow is going on in this runner now. */
    isRunning: boolean
  }
): Promise<RunPlan> {
  const fallback = env.defaultWorkingDirectory
  const workingDirectory =
    options.workingDirectory ?? workflow.working_directory ?? settings.default_working_directory ?? fallback ?? process.cwd()
  if (workingDirectory === fallback) await mkdir(fallback, { recursive: true })
  if (!isAbsolute(workingDirectory))
    throw new RunInputError(
      `The working folder "${workingDirectory}" is not a full path; choose a folder such as ${join(homedir(), 'Documents')}.`
    )
  if (!options.allowConcurrent && env.isRunning)
    throw new RunInputError(`"${workflow.name}" is already running; stop that run or wait for it to end before starting another.`)
  const isFolder = await stat(workingDirectory).then(
    (s) => s.isDirectory(),
    () => false
  )
  if (!isFolder) throw new RunInputError(`The working folder "${workingDirectory}" does not exist. Create it or choose another one.`)
  const python = await resolvePython([options.python, workflow.python_path, settings.python_path], { probeCache: env.probeCache })
  const stepEnv = await planStepEnv(workflow, env.secrets)
  return {
    env: stepEnv,
    redactor: createRedactor(Object.values(stepEnv.secret)),
    workingDirectory,
    python: python.path,
    debug: options.debug ?? settings.debug_mode,
    defaultTimeout: options.timeoutSeconds ?? settings.default_timeout_seconds
  }
}

/** The workflow's variables with its secrets read; a secret not set (or no store to read it from) refuses the run, naming it. */
async function planStepEnv(workflow: Workflow, secrets: Pick<SecretStore, 'values'> | undefined): Promise<StepEnvPlan> {
  const plan: StepEnvPlan = { literal: {}, secret: {}, clean: workflow.clean_env }
  const names = referencedSecrets(workflow.env)
  let values = new Map<string, string>()
  if (names.length) {
    const uses = `"${workflow.name}" uses the secret${names.length > 1 ? 's' : ''} ${names.map((n) => `"${n}"`).join(', ')}`
    if (!secrets) throw new RunInputError(`${uses}, but this runner has no secret store.`)
    try {
      values = await secrets.values(names)
    } catch (err) {
      if (err instanceof SecretStoreUnavailableError) throw new RunInputError(`${uses}. ${err.message}`)
      throw err
    }
    const missing = names.filter((n) => !values.has(n))
    if (missing.length) {
      const list = missing.map((n) => `"${n}"`).join(', ')
      throw new RunInputError(
        `The secret${missing.length > 1 ? 's' : ''} ${list} ${missing.length > 1 ? 'are' : 'is'} not set, and "${workflow.name}" needs ` +
          `${missing.length > 1 ? 'them' : 'it'} (env ${Object.entries(workflow.env)
            .filter(([, v]) => isSecretRef(v) && missing.includes(v.secret))
            .map(([k]) => k)
            .join(', ')}). Set ${missing.length > 1 ? 'them' : 'it'} in Secrets, or with: stepwise secret set ${missing[0]}`
      )
    }
  }
  for (const [name, value] of Object.entries(workflow.env)) {
    if (isSecretRef(value)) plan.secret[name] = values.get(value.secret)!
    else plan.literal[name] = value
  }
  return plan
}
