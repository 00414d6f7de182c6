// The implementation of every request channel of the contract, over the main-process services.
// The Electron binder and the test bridge both serve exactly these handlers through dispatchRequest,
// so the window and the end-to-end tests exercise the same code.
import { open, realpath, stat, writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { ZodError } from 'zod'
import {
  MAX_VIEWED_FILE_BYTES,
  requestChannels,
  type ErrorCode,
  type KeptFileText,
  type IpcError,
  type IpcResult,
  type ParsedParams,
  type RequestChannel,
  type RequestResult
} from '../../shared/ipc-contract'
import { errorMessage, explanationOf, type ErrorMessage } from '../../shared/error-messages'
import type { Workflow } from '../../shared/model'
import { formatKeyPath, LIMITS, tooDeepAt } from '../../shared/input-limits'
import { describeIssues } from '../../shared/schemas'
import { STEP_TEMPLATE } from '../../shared/step-template'
import { uniqueName } from '../../shared/unique-name'
import { openExampleWorkflow } from './example-workflow'
import { safeFileName } from './file-names'
import { assertSafeToOpen, UnsafeToOpenError } from './os-open-guard'
import { findInterpreters, NoPythonError, PROJECT_ENV_SOURCE, projectInterpreter } from './python'
import { probeInterpreter } from './python/probe'
import { exportStepScripts } from './script-export'
import { missingOutputs } from './outputs/presence'
import { NotFoundError, type Store } from './store'
import { NoTextEditorError } from './text-editor'
import { normalizeWorkflow, readWorkflowFile, workflowToFile, WorkflowFileError } from './workflow-file'
import { RunInputError, type WorkflowRunner } from './engine'
import { EnvironmentError } from './environments'
import { ScheduleInputError } from './schedule/cron'
import { createScheduleHandlers } from './schedule/schedule-handlers'
import type { OpenedFiles } from './shell-inbox/opened-files'
import type { UpdateState } from './shell-inbox/update-state'
import { createDebugHandlers, DebugRequestError, DebugService } from './debugger'
import { writeLaunchConfiguration } from './debugger/launch-config'
import { SecretInputError, SecretStore, SecretStoreUnavailableError } from './secrets'
import { createSecretHandlers } from './secrets/secret-handlers'
import { deleteRuns } from './history'
import { removeOrphanValues } from './values/value-folder'
import { copyTextTo } from './values/file-text'

/** What only the desktop shell can do: dialogs and the OS shell. The test bridge supplies its own. */
export interface DesktopPlatform {
  pickOpenFile(options: { title: string; filters: { name: string; extensions: string[] }[] }): Promise<string | null>
  pickSaveFile(options: { title: string; defaultPath: string; filters: { name: string; extensions: string[] }[] }): Promise<string | null>
  pickFolder(options: { title: string; defaultPath?: string }): Promise<string | null>
  /** The OS open verb. Called only with paths assertSafeToOpen let through; the platform checks again. */
  openPath(path: string): Promise<void>
  showItemInFolder(path: string): void
  /** Starts a text editor on the file (never the open verb); resolves to the editor's name. */
  openInEditor(path: string, line: number): Promise<string>
  locale(): string
  version: string
}

export class ForbiddenPathError extends Error {
  readonly explanation: ErrorMessage
  constructor(path: string) {
    super(`Stepwise opens only files and folders it created or recorded itself; "${path}" is not one of them.`)
    this.name = 'ForbiddenPathError'
    this.explanation = errorMessage('forbiddenPath', { path })
  }
}

export type RequestHandlers = { [C in RequestChannel]: (params: ParsedParams<C>) => Promise<RequestResult<C>> }

const JSON_FILTER = [{ name: 'Workflow (JSON)', extensions: ['json'] }]

export function createRequestHandlers(deps: {
  store: Store
  runner: WorkflowRunner
  platform: DesktopPlatform
  /** The step debugger; without one, a debugger of its own over the store (tests of other channels). */
  debugger?: DebugService
  /** Default: the secrets of the store's database. */
  secrets?: SecretStore
  /** Files the OS opened with the app; absent where there is no OS to open them (the CLI). */
  openedFiles?: OpenedFiles
  /** A downloaded update; absent when updates are off. */
  updates?: UpdateState
}): RequestHandlers {
  const { store, runner, platform, openedFiles, updates } = deps
  /** Folders and files written this session on the person's request (exports); openable too. */
  const written = new Set<string>()

  const existing = (p: string) =>
    stat(p).catch(() => {
      throw new RunInputError(`"${p}" no longer exists.`, errorMessage('fileGone', { path: p }))
    })

  /** A file the app may show: one a run kept, or one it wrote this session. */
  const keptFile = async (path: string): Promise<string> => {
    const p = resolve(path)
    if (!written.has(p) && !store.isRecordedPath(p, 'kept-file') && !store.isRecordedPath(p, 'output-file'))
      throw new ForbiddenPathError(path)
    const info = await existing(p)
    if (!info.isFile()) throw new ForbiddenPathError(path)
    return p
  }
  /**
   * Any path the app recorded: kept files, exports, and the folders past runs worked in. A run folder is
   * trusted as that folder only, never for the files under it (a run may have worked in /etc).
   */
  const recordedPath = (path: string): string => {
    const p = resolve(path)
    if (
      written.has(p) ||
      store.isRecordedPath(p, 'kept-file') ||
      store.isRecordedPath(p, 'run-folder') ||
      store.isRecordedPath(p, 'output-file')
    )
      return p
    throw new ForbiddenPathError(path)
  }
  /** A failed install's log: a `.log` file inside the environments folder, symlinks followed, nothing else. */
  const installerLog = async (path: string): Promise<string> => {
    const root = runner.environmentsRoot
    if (!root || !path.toLowerCase().endsWith('.log')) throw new ForbiddenPathError(path)
    const inside = (base: string, p: string) => {
      const rel = relative(base, p)
      return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
    }
    const p = resolve(path)
    if (!inside(resolve(root), p)) throw new ForbiddenPathError(path)
    const real = await realpath(p).catch(() => {
      throw new RunInputError(`"${path}" no longer exists.`, errorMessage('fileGone', { path }))
    })
    if (!inside(await realpath(root), real) || !real.toLowerCase().endsWith('.log')) throw new ForbiddenPathError(path)
    if (!(await stat(real)).isFile()) throw new ForbiddenPathError(path)
    return real
  }
  const newWorkflow = (name: string): Workflow =>
    store.saveWorkflow({
      name,
      description: '',
      variables: {},
      working_directory: null,
      python_path: null,
      on_failure: [],
      requirements: [],
      steps: [
        {
          id: 'step-1',
          order: 0,
          name: 'Step_1',
          step_type: 'PYTHON_SCRIPT',
          code: STEP_TEMPLATE,
          description: '',
          input_mapping: {},
          output_mapping: {},
          timeout_seconds: null,
          depends_on: null,
          retry: null,
          continue_on_error: false
        }
      ]
    })

  return {
    ...createScheduleHandlers(store),
    ...createDebugHandlers(deps.debugger ?? new DebugService(store)),
    ...createSecretHandlers(deps.secrets ?? new SecretStore(store.path)),
    'app:info': async () => ({
      version: platform.version,
      platform: process.platform,
      locale: platform.locale(),
      database_path: store.path
    }),
    'app:takeOpenedFiles': async () => openedFiles?.take() ?? [],
    'app:updateStatus': async () => ({ ready: updates?.readyVersion() ?? null }),
    'app:restartToUpdate': async () => {
      if (runner.activeExecutions().length)
        throw new RunInputError('A run is going; Stepwise restarts to update when it has ended.', errorMessage('updateWhileRunning', {}))
      return { restarting: updates?.restartNow() ?? false }
    },

    'workflows:list': async ({ query }) => store.listWorkflows(query),
    'workflows:get': async ({ id }) => store.getWorkflow(id),
    'workflows:create': async ({ name }) => newWorkflow(name),
    'workflows:save': async ({ workflow }) => {
      if (!store.hasWorkflow(workflow.id)) throw new NotFoundError('workflow', workflow.id)
      return store.saveWorkflow({ ...normalizeWorkflow(workflow), id: workflow.id })
    },
    'workflows:rename': async ({ id, name }) => store.renameWorkflow(id, name),
    'workflows:duplicate': async ({ id }) => {
      const source = store.getWorkflow(id)
      return store.saveWorkflow({ ...source, id: undefined, name: `${source.name} (copy)` })
    },
    'workflows:delete': async ({ id }) => {
      if (runner.activeExecutions().some((e) => store.getExecution(e).workflow_id === id)) {
        throw new RunInputError('This workflow is running; stop it before deleting it.', errorMessage('deleteWhileRunning', {}))
      }
      const deleted = store.deleteWorkflow(id)
      // Its runs went with it (cascade), and their values beside the database go too.
      await removeOrphanValues(store.path, (ids) => store.missingExecutions(ids))
      return { deleted }
    },
    'workflows:import': async () => {
      const file = await platform.pickOpenFile({ title: 'Import a workflow', filters: JSON_FILTER })
      if (!file) return null
      return importWorkflowFile(store, file)
    },
    'workflows:openExample': async () => openExampleWorkflow(store),
    'workflows:export': async ({ id }) => {
      const workflow = store.getWorkflow(id)
      const defaultPath = join(
        workflow.working_directory ?? store.getSettings().default_working_directory ?? dirname(store.path),
        `${safeFileName(workflow.name, 'workflow')}.json`
      )
      const file = await platform.pickSaveFile({ title: 'Export the workflow', defaultPath, filters: JSON_FILTER })
      if (!file) return null
      await writeFile(file, `${JSON.stringify(workflowToFile(workflow), null, 2)}\n`, 'utf8')
      written.add(resolve(file))
      return { path: file }
    },
    'workflows:exportScripts': async ({ id }) => {
      const workflow = store.getWorkflow(id)
      const defaultPath = workflow.working_directory ?? store.getSettings().default_working_directory ?? undefined
      const dir = await platform.pickFolder({ title: 'Export step scripts to', defaultPath })
      if (!dir) return null
      const result = await exportStepScripts(workflow, dir)
      written.add(resolve(result.folder))
      for (const f of result.files) written.add(resolve(f))
      return result
    },

    'runs:start': async ({ workflow_id, variables, debug, from_step, only_step }) => {
      const run = await runner.start(workflow_id, { variables, debug, fromStep: from_step, onlyStep: only_step })
      return { execution_id: run.executionId }
    },
    'runs:resume': async ({ execution_id, debug }) => {
      const run = await runner.resume(execution_id, { debug })
      return { execution_id: run.executionId }
    },
    'runs:stop': async ({ execution_id }) => ({ stopped: runner.stop(execution_id) }),
    'runs:replayStep': async ({ execution_id, step_id, debug }) => {
      const run = await runner.replayStep(execution_id, step_id, { debug })
      return { execution_id: run.executionId }
    },
    'runs:active': async () => runner.activeExecutions(),

    'executions:list': async ({ workflow_id, limit, trigger }) => store.listExecutions(workflow_id, limit, trigger),
    'executions:get': async ({ id }) => store.getExecution(id),
    'executions:delete': async ({ ids }) => ({ deleted: (await deleteRuns(store, ids)).deleted }),
    'executions:saveOutput': async ({ id, step_id }) => {
      const execution = store.getExecution(id)
      const step = execution.steps.find((s) => s.step_id === step_id)
      const text = store.executionTexts(id).outputs.get(step_id)
      if (!step || !text) throw new NotFoundError('step output', `${id}/${step_id}`)
      const defaultPath = join(execution.working_directory, `${safeFileName(step.name, 'step')}-output.json`)
      const file = await platform.pickSaveFile({ title: 'Save the output', defaultPath, filters: [{ name: 'JSON', extensions: ['json'] }] })
      if (!file) return null
      await copyTextTo(text, file)
      written.add(resolve(file))
      return { path: file }
    },
    'executions:missingOutputs': async ({ id }) => ({ missing: await missingOutputs(store.getExecution(id).output_files) }),

    'shell:openPath': async ({ path }) => {
      const p = recordedPath(path)
      const info = await existing(p)
      // A run folder is opened as a folder; if a file now stands at its path, it is not the folder we recorded.
      if (!info.isDirectory() && !written.has(p) && !store.isRecordedPath(p, 'kept-file') && !store.isRecordedPath(p, 'output-file'))
        throw new ForbiddenPathError(path)
      assertSafeToOpen(p, info)
      await platform.openPath(p)
      return { opened: true }
    },
    'shell:showInFolder': async ({ path }) => {
      platform.showItemInFolder(recordedPath(path))
      return { shown: true }
    },
    'shell:readKeptFile': async ({ path }) => readKeptFile(await keptFile(path)),
    'env:readLog': async ({ path }) => ({ ...(await readKeptFile(await installerLog(path))), path }),
    'shell:openInEditor': async ({ path, line }) => ({ editor: await platform.openInEditor(await keptFile(path), line ?? 1) }),
    'debug:openInVsCode': async ({ execution_id, step_id, line }) => {
      const execution = store.getExecution(execution_id)
      const step = execution.steps.find((s) => s.step_id === step_id)
      if (!step?.script_path)
        throw new RunInputError('This step kept no script: run it in debug mode to keep its files.', errorMessage('noKeptScript', {}))
      const script = await keptFile(step.script_path)
      const launch = await writeLaunchConfiguration({
        python: execution.python_path,
        script,
        variables: step.variables_path,
        workingDirectory: execution.working_directory
      })
      written.add(resolve(launch))
      return { editor: await platform.openInEditor(script, line ?? 1), launch_path: launch }
    },
    'dialogs:pickFolder': async ({ default_path }) => platform.pickFolder({ title: 'Choose a folder', defaultPath: default_path }),

    'settings:get': async () => store.getSettings(),
    'settings:update': async ({ patch }) => store.updateSettings(patch),

    'python:list': async ({ refresh }) => findInterpreters({ refresh }),
    'python:project': async ({ working_directory }) => {
      if (!isAbsolute(working_directory)) return null
      const exe = projectInterpreter(working_directory)
      if (!exe) return null
      // A broken .venv (its base Python uninstalled) is shown as absent; the run then says why it fails.
      const found = await probeInterpreter(exe, PROJECT_ENV_SOURCE)
      return found && { ...found, path: exe }
    },
    'python:browse': async () => {
      const file = await platform.pickOpenFile({
        title: 'Choose a Python interpreter',
        filters: process.platform === 'win32' ? [{ name: 'Python', extensions: ['exe'] }] : []
      })
      if (!file) return null
      const found = await probeInterpreter(file, 'chosen')
      if (!found)
        throw new NoPythonError(`"${file}" is not a working Python 3.`, { explanation: errorMessage('pythonChosenBroken', { path: file }) })
      return found
    }
  }
}

/**
 * Reads, validates and stores a workflow file. The file's own id is kept unless it is already taken; a name
 * another workflow has gets a number ("Report (2)").
 */
export async function importWorkflowFile(store: Store, file: string): Promise<Workflow> {
  const input = await readWorkflowFile(file)
  const id = input.id && !store.hasWorkflow(input.id) ? input.id : undefined
  const name = uniqueName(
    input.name,
    store.listWorkflows().map((w) => w.name)
  )
  return store.saveWorkflow({ ...input, id, name })
}

/** The file's first MAX_VIEWED_FILE_BYTES as text, cut at a whole character; never the whole of a huge file. */
async function readKeptFile(path: string): Promise<KeptFileText> {
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    const buffer = Buffer.alloc(Math.min(size, MAX_VIEWED_FILE_BYTES))
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    const truncated = size > bytesRead
    let text = buffer.subarray(0, bytesRead).toString('utf8')
    // The cut may split a character in two: drop its first half rather than show a stray U+FFFD.
    if (truncated) text = text.replace(/\uFFFD$/, '')
    return { path, text, size, truncated }
  } finally {
    await handle.close()
  }
}

function errorCode(err: unknown): ErrorCode {
  if (
    err instanceof ZodError ||
    err instanceof WorkflowFileError ||
    err instanceof RunInputError ||
    err instanceof ScheduleInputError ||
    err instanceof DebugRequestError ||
    err instanceof SecretInputError ||
    err instanceof SecretStoreUnavailableError
  )
    return 'INVALID_INPUT'
  if (err instanceof NotFoundError || err instanceof NoTextEditorError) return 'NOT_FOUND'
  if (err instanceof ForbiddenPathError || err instanceof UnsafeToOpenError) return 'FORBIDDEN'
  if (err instanceof NoPythonError) return 'NO_PYTHON'
  if (err instanceof EnvironmentError) return 'ENVIRONMENT'
  return 'INTERNAL'
}

/** Validates a request's params against the contract, runs its handler and wraps the outcome. Never throws. */
export async function dispatchRequest(handlers: RequestHandlers, channel: unknown, params: unknown): Promise<IpcResult<unknown>> {
  if (typeof channel !== 'string' || !Object.prototype.hasOwnProperty.call(requestChannels, channel)) {
    return { ok: false, error: { code: 'INVALID_INPUT', message: `Unknown request channel "${String(channel)}".` } }
  }
  const c = channel as RequestChannel
  // Checked before zod: a payload nested thousands of levels would overflow the stack of whatever walks it.
  const deep = tooDeepAt(params, LIMITS.payloadDepth)
  if (deep) {
    return {
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: `Invalid request to ${c}: it nests more than ${LIMITS.payloadDepth} levels deep (at ${formatKeyPath(deep)}); the limit is ${LIMITS.jsonDepth} levels for a value.`
      }
    }
  }
  let parsed
  try {
    parsed = requestChannels[c].params.safeParse(params ?? {})
  } catch (err) {
    // Validation itself failed (a stack overflow on a shape no check foresaw): still a refusal, never a crash.
    return { ok: false, error: { code: 'INVALID_INPUT', message: `Invalid request to ${c}: it could not be checked (${String(err)}).` } }
  }
  if (!parsed.success) {
    return { ok: false, error: { code: 'INVALID_INPUT', message: `Invalid request to ${c}:\n${describeIssues(parsed.error, params)}` } }
  }
  try {
    const handler = handlers[c] as (p: unknown) => Promise<unknown>
    return { ok: true, value: await handler(parsed.data) }
  } catch (err) {
    return { ok: false, error: ipcError(err) }
  }
}

/** An error as the window receives it: its kind, main's English message and, when it has one, its translatable form. */
export function ipcError(err: unknown): IpcError {
  const error: IpcError = { code: errorCode(err), message: err instanceof Error ? err.message : String(err) }
  // The window words the problem in the person's language and opens pip's whole output from here.
  if (err instanceof EnvironmentError) error.environment = { problem: err.problem, log_path: err.logPath }
  const explained = explanationOf(err)
  if (!explained) return error
  const { code: key, params, detail } = explained
  return { ...error, key, params, ...(detail ? { detail } : {}) }
}
