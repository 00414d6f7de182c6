// Planning a run before anything is recorded: the working folder, the interpreter, debug mode, the
// default timeout and the steps' environment (secrets read now), from the run's options over the
// workflow's over the settings. Bad choices are refused
// here, as RunInputError, so a run that cannot start leaves no record.
import { mkdir, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { errorMessage } from '../../../shared/error-messages'
import type { Settings, Workflow } from '../../../shared/model'
import { loginShellPathSettled, projectInterpreter, resolvePython, type ProbeCache } from '../python'
import { findUv, type EnvironmentManager } from '../environments'
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
    /** Where a workflow's packages are installed; without it a workflow with packages cannot run. */
    environments?: EnvironmentManager
    /** What preparing the packages prints, line by line (the window's progress, the CLI's stderr). */
    onEnvironmentLine?: (line: string) => void
  }
): Promise<RunPlan> {
  const fallback = env.defaultWorkingDirectory
  const workingDirectory =
    options.workingDirectory ?? workflow.working_directory ?? settings.default_working_directory ?? fallback ?? process.cwd()
  if (workingDirectory === fallback) await mkdir(fallback, { recursive: true })
  if (!isAbsolute(workingDirectory))
    throw new RunInputError(
      `The working folder "${workingDirectory}" is not a full path; choose a folder such as ${join(homedir(), 'Documents')}.`,
      errorMessage('workingFolderNotFullPath', { folder: workingDirectory })
    )
  if (!options.allowConcurrent && env.isRunning)
    throw new RunInputError(
      `"${workflow.name}" is already running; stop that run or wait for it to end before starting another.`,
      errorMessage('alreadyRunning', { workflow: workflow.name })
    )
  const isFolder = await stat(workingDirectory).then(
    (s) => s.isDirectory(),
    () => false
  )
  if (!isFolder)
    throw new RunInputError(
      `The working folder "${workingDirectory}" does not exist. Create it or choose another one.`,
      errorMessage('workingFolderMissing', { folder: workingDirectory })
    )
  // Secrets first: a missing one is told at once, not after minutes of preparing packages.
  const stepEnv = await planStepEnv(workflow, env.secrets)
  // Launched from the Finder, the login shell's PATH may still be on its way; steps should see it.
  await loginShellPathSettled()
  const pythonPath = await workflowPython(workflow, options, settings, { ...env, workingDirectory })
  return {
    env: stepEnv,
    redactor: createRedactor(Object.values(stepEnv.secret)),
    workingDirectory,
    python: pythonPath,
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
    if (!secrets)
      throw new RunInputError(
        `${uses}, but this runner has no secret store.`,
        errorMessage('secretsNoRunnerStore', { workflow: workflow.name, secrets: names.join(', ') })
      )
    try {
      values = await secrets.values(names)
    } catch (err) {
      // Why the store cannot be opened is what the person must fix; the window says that part.
      if (err instanceof SecretStoreUnavailableError) throw new RunInputError(`${uses}. ${err.message}`, err.explanation)
      throw err
    }
    const missing = names.filter((n) => !values.has(n))
    if (missing.length) {
      const list = missing.map((n) => `"${n}"`).join(', ')
      const envNames = Object.entries(workflow.env)
        .filter(([, v]) => isSecretRef(v) && missing.includes(v.secret))
        .map(([k]) => k)
      throw new RunInputError(
        `The secret${missing.length > 1 ? 's' : ''} ${list} ${missing.length > 1 ? 'are' : 'is'} not set, and "${workflow.name}" needs ` +
          `${missing.length > 1 ? 'them' : 'it'} (env ${envNames.join(', ')}). Set ${missing.length > 1 ? 'them' : 'it'} in Secrets, or with: stepwise secret set ${missing[0]}`,
        errorMessage('secretsMissing', { workflow: workflow.name, secrets: missing.join(', '), env: envNames.join(', ') })
      )
    }
  }
  for (const [name, value] of Object.entries(workflow.env)) {
    if (isSecretRef(value)) plan.secret[name] = values.get(value.secret)!
    else plan.literal[name] = value
  }
  return plan
}

/** The Python a workflow's steps run with: the chosen one, or the environment with its packages (prepared now if need be). */
export async function workflowPython(
  workflow: Workflow,
  options: Pick<RunOptions, 'python'>,
  settings: Settings,
  env: {
    probeCache?: ProbeCache
    environments?: EnvironmentManager
    onEnvironmentLine?: (line: string) => void
    /** The run's working folder: its own .venv, when it has one, comes before the one chosen in Settings. */
    workingDirectory?: string
  }
): Promise<string> {
  // The working folder's own .venv knows the packages its scripts need, so it comes before the machine-wide
  // choice in Settings; an interpreter named by the run or the workflow is still what the user asked for.
  const project = env.workingDirectory ? projectInterpreter(env.workingDirectory) : null
  const python = await resolvePython([options.python, workflow.python_path, project, settings.python_path], { probeCache: env.probeCache })
  if (!workflow.requirements.length) return python.path
  if (!env.environments)
    throw new RunInputError(
      `"${workflow.name}" needs packages, and this Stepwise has no place to install them.`,
      errorMessage('packagesNoPlace', { workflow: workflow.name })
    )
  const prepared = await env.environments.prepare({
    base: python,
    requirements: workflow.requirements,
    sources: settings,
    onLine: env.onEnvironmentLine,
    uv: findUv()
  })
  return prepared.python
}
