// `stepwise`: the headless command line, on the same services as the app (same database by default).
// Exit codes: 0 success, 1 a run that did not succeed, 2 bad input.
import { createHash } from 'node:crypto'
import { existsSync, statSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { TextMap } from '../../shared/json-text'
import { EXECUTION_TRIGGERS, type Execution, type ExecutionTrigger, type Workflow } from '../../shared/model'
import { rerunCommand } from '../../shared/rerun-command'
import { RESERVED_NAMES } from '../../shared/input-limits'
import { describeIssues, MAX_TIMEOUT_SECONDS, timeoutSchema, variablesSchema } from '../../shared/schemas'
import { defaultDatabasePath } from '../services/app-paths'
import { discoverInterpreters, NoPythonError } from '../services/python'
import { importWorkflowFile } from '../services/request-handlers'
import { exportStepScripts } from '../services/script-export'
import { openServices, type Services } from '../services/services'
import { NotFoundError, type ExecutionTexts, type Store } from '../services/store'
import { readWorkflowFileSync, workflowToFile, WorkflowFileError, type WorkflowInput } from '../services/workflow-file'
import { RunInputError, type StartedRun } from '../services/engine'
import { RawValue, writeJson } from './json-output'
import { ProgressPrinter } from './progress-printer'
import { say } from './terminal-text'
import { daemonCommand } from './daemon'
import { envCommand, EnvUsageError } from './env'
import { settingsCommand, SettingsUsageError } from './settings'
import { SCHEDULE_OPTIONS, scheduleCommand } from './schedule'
import { TRIGGER_OPTIONS, triggerCommand } from './trigger'
import { ScheduleInputError } from '../services/schedule'
import { SecretInputError, SecretStoreUnavailableError } from '../services/secrets'
import { secretCommand, SecretUsageError } from './secret'

const USAGE = `Stepwise — run workflows of Python steps from the command line.

Usage:
  stepwise run <workflow.json | workflow-id> [--workdir DIR] [--debug] [--timeout SECONDS]
               [--python PATH] [--var NAME=JSON]... [--json] [--replace] [--no-spare]
               [--from-step STEP | --only-step STEP] [--max-parallel N] [--allow-errors]
  stepwise resume <execution-id> [--debug] [--json] [--no-spare] [--max-parallel N] [--allow-errors]
  stepwise env prepare <workflow-id> [--python PATH] [--json]
  stepwise settings [--json] | settings set NAME VALUE    e.g. settings set package_find_links "D:\\wheels"
  stepwise import <workflow.json>
  stepwise export <workflow-id> [--out FILE]
  stepwise export-scripts <workflow-id> [--dir DIR]
  stepwise list [--json]
  stepwise history [<workflow-id>] [--trigger ${EXECUTION_TRIGGERS.join('|')}] [--json]
  stepwise show <execution-id> [--json]
  stepwise interpreters [--json]
  stepwise schedule add <workflow-id> --cron "<expr>" [--tz Area/City] [--catch-up none|once|all]
                    [--overlap skip|queue|allow] [--json]
  stepwise schedule list [--json] | remove|enable|disable <id> | register|unregister <id> [--print]
  stepwise trigger add <workflow-id> --folder DIR [--pattern GLOB] [--poll] [--events add,change]
                   [--process-existing] [--move-to DIR] [--json]
  stepwise trigger list [--json] | remove <id>
  stepwise daemon       runs due schedules and folder triggers until Ctrl+C
  stepwise secret set NAME        the value from stdin (typed hidden, or piped), never an argument
  stepwise secret list [--json] | delete NAME

Every command takes --db PATH (default: ${defaultDatabasePath()}).
A workflow file is stored under its id and updated by each run of it; --replace lets it overwrite a
stored copy that was edited in the app since.
--no-spare starts every step's Python cold instead of in an interpreter started ahead (a spare).
--var values are JSON (--var count=3 --var 'names=["a","b"]'); a value that is not JSON is taken as text.
--from-step runs that step (id or name) and every step after it or depending on it; --only-step runs that
step alone. The other steps' outputs come from the workflow's latest successful run (which one is printed).
resume starts a new run of a failed or stopped execution: its successful steps' outputs are reused and the
rest run with the current code.
--max-parallel: how many independent steps (of a workflow with depends_on) run at once (default: the
max_parallel setting, else the number of CPUs but at least 8).
Secrets live in the OS credential store, or encrypted beside the database when STEPWISE_SECRET_KEY is set
(headless machines, CI); a workflow's env hands them to its steps ({"API_KEY": {"secret": "API_TOKEN"}}).
Exit codes: 0 success, 1 the run did not succeed (also "completed with errors", unless --allow-errors),
2 bad input.`

class UsageError extends Error {}

/**
 * An execution id as typed: whole, or its start as the window shows it ("Reused from run 1a2b3c4d") when
 * exactly one run starts so. An unknown id falls through, so the store names it.
 */
function executionId(store: Store, typed: string): string {
  if (typed.length >= 36 || typed.length < 4) return typed
  const found = store.executionsByIdPrefix(typed.toLowerCase())
  if (found.length > 1)
    throw new UsageError(
      `${found.length} runs start with "${typed}": ${found
        .slice(0, 5)
        .map((e) => e.id)
        .join(', ')}${found.length > 5 ? ', …' : ''}. Type more of the id.`
    )
  return found.length ? found[0].id : typed
}

const OPTIONS = {
  db: { type: 'string' },
  workdir: { type: 'string' },
  debug: { type: 'boolean' },
  timeout: { type: 'string' },
  python: { type: 'string' },
  var: { type: 'string', multiple: true },
  replace: { type: 'boolean' },
  'no-spare': { type: 'boolean' },
  'from-step': { type: 'string' },
  'only-step': { type: 'string' },
  'max-parallel': { type: 'string' },
  'allow-errors': { type: 'boolean' },
  json: { type: 'boolean' },
  trigger: { type: 'string' },
  out: { type: 'string' },
  dir: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  ...SCHEDULE_OPTIONS,
  ...TRIGGER_OPTIONS
} as const

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values']

export async function main(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (err) {
    say(process.stderr, `${(err as Error).message}\n\n${USAGE}\n`)
    return 2
  }
  const { values, positionals } = parsed
  const [command, ...rest] = positionals
  if (values.help || !command || command === 'help') {
    say(process.stdout, `${USAGE}\n`)
    return command || values.help ? 0 : 2
  }
  let services: Services | null = null
  const open = (): Services => (services ??= openServices({ dbPath: values.db ? resolve(values.db) : undefined }))
  try {
    switch (command) {
      case 'run':
        return await runCommand(open(), one(rest, 'a workflow file or id'), values)
      case 'settings':
        return settingsCommand(open(), rest, values)
      case 'env':
        return await envCommand(open(), rest, values)
      case 'resume':
        return await resumeCommand(open(), executionId(open().store, one(rest, 'an execution id')), values)
      case 'import': {
        const wf = await importWorkflowFile(open().store, resolve(one(rest, 'a workflow file')))
        say(process.stdout, `${wf.id}\n`)
        return 0
      }
      case 'export': {
        const text = `${JSON.stringify(workflowToFile(open().store.getWorkflow(one(rest, 'a workflow id'))), null, 2)}\n`
        if (values.out) writeFileSync(resolve(values.out), text, 'utf8')
        else process.stdout.write(text)
        return 0
      }
      case 'export-scripts': {
        const wf = open().store.getWorkflow(one(rest, 'a workflow id'))
        const result = await exportStepScripts(wf, resolve(values.dir ?? wf.working_directory ?? process.cwd()))
        // The folder first: it is not always the id itself (see exportStepScripts), so say where it went.
        say(process.stdout, `${result.folder}\n${result.files.join('\n')}\n`)
        return 0
      }
      case 'list': {
        none(rest)
        const rows = open().store.listWorkflows()
        if (values.json) return printJson(rows)
        if (!rows.length) say(process.stdout, 'No workflows yet. Import one with: stepwise import <workflow.json>\n')
        for (const w of rows)
          say(process.stdout, `${w.id}  ${w.name}  (${w.step_count} steps${w.last_status ? `, last run ${w.last_status}` : ''})\n`)
        return 0
      }
      case 'history': {
        if (rest.length > 1) throw new UsageError('history takes at most one workflow id')
        const trigger = values.trigger
        if (trigger !== undefined && !(EXECUTION_TRIGGERS as readonly string[]).includes(trigger))
          throw new UsageError(`--trigger must be one of ${EXECUTION_TRIGGERS.join(', ')}, got "${trigger}".`)
        const rows = open()
          .store.listExecutions(rest[0], undefined, trigger as ExecutionTrigger | undefined)
          .map((e) => ({
            execution_id: e.id,
            workflow_id: e.workflow_id,
            workflow_name: e.workflow_name,
            status: e.status,
            started_at: e.started_at,
            completed_at: e.completed_at,
            duration_ms: e.duration_ms,
            trigger: e.trigger,
            trigger_id: e.trigger_id
          }))
        if (values.json) return printJson(rows)
        for (const r of rows) say(process.stdout, `${r.execution_id}  ${r.status.padEnd(11)} ${r.started_at}  ${r.workflow_name}\n`)
        return 0
      }
      case 'show': {
        const execution = open().store.getExecution(executionId(open().store, one(rest, 'an execution id')))
        if (values.json) return printJson(executionJson(execution, open().store.executionTexts(execution.id)))
        printSummary(execution, process.stdout)
        return 0
      }
      case 'interpreters': {
        none(rest)
        // The current folder is where a run from here works: its own .venv is listed first.
        const { interpreters: found, rejected } = await discoverInterpreters({ refresh: true, projectDir: process.cwd() })
        if (values.json) return printJson(found)
        if (!found.length) throw new NoPythonError(undefined, { rejected })
        for (const p of found) say(process.stdout, `${p.path}  Python ${p.version} (${p.architecture}, ${p.source})\n`)
        return 0
      }
      case 'schedule':
        return await scheduleCommand(open(), rest, values, {
          node: process.execPath,
          script: resolve(process.argv[1] ?? 'stepwise'),
          dbPath: open().store.path
        })
      case 'trigger':
        return await triggerCommand(open(), rest, values)
      case 'secret':
        return await secretCommand(open(), rest, values)
      case 'daemon':
        none(rest)
        return await daemonCommand(open())
      default:
        throw new UsageError(`Unknown command "${command}".`)
    }
  } catch (err) {
    const bad =
      err instanceof UsageError ||
      err instanceof WorkflowFileError ||
      err instanceof NotFoundError ||
      err instanceof RunInputError ||
      err instanceof NoPythonError ||
      err instanceof ScheduleInputError ||
      err instanceof SecretInputError ||
      err instanceof SecretStoreUnavailableError ||
      err instanceof SecretUsageError ||
      err instanceof EnvUsageError ||
      err instanceof SettingsUsageError
    say(process.stderr, `stepwise: ${(err as Error).message}\n${err instanceof UsageError ? `\n${USAGE}\n` : ''}`)
    return bad ? 2 : 1
  } finally {
    await (services as Services | null)?.close()
  }
}

function one(args: string[], what: string): string {
  if (args.length !== 1) throw new UsageError(args.length ? `Too many arguments: ${args.join(' ')}` : `Missing ${what}.`)
  return args[0]
}
function none(args: string[]): void {
  if (args.length) throw new UsageError(`Unexpected arguments: ${args.join(' ')}`)
}

async function printJson(value: unknown): Promise<number> {
  await writeJson(process.stdout, value)
  return 0
}

function parseVars(pairs: string[] = []): Record<string, never> {
  // A null prototype: a name like "__proto__" is kept, so the check below sees it and refuses it by name.
  const out: Record<string, unknown> = Object.create(null)
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new UsageError(`--var needs NAME=VALUE, got "${pair}".`)
    const name = pair.slice(0, eq)
    if (RESERVED_NAMES.includes(name))
      throw new UsageError(`--var ${name}: "${name}" cannot be a variable name (JavaScript objects reserve it); choose another name.`)
    const raw = pair.slice(eq + 1)
    try {
      out[name] = JSON.parse(raw)
    } catch {
      out[name] = raw
    }
  }
  const checked = variablesSchema.safeParse(out)
  if (!checked.success) throw new UsageError(`--var: ${describeIssues(checked.error, out)}`)
  return { ...out } as Record<string, never>
}

/** What a run of a file compares: the workflow's content, without its id, times and working folder. */
function contentHash(w: WorkflowInput): string {
  const steps = w.steps.map((st) => [
    st.id,
    st.order,
    st.name,
    st.step_type,
    st.code,
    st.description,
    st.input_mapping,
    st.output_mapping,
    st.timeout_seconds,
    st.depends_on,
    st.retry,
    st.continue_on_error
  ])
  return (
    createHash('sha256')
      // env only when set: the hashes of files stored before it existed stay as they were.
      .update(
        JSON.stringify([
          w.name,
          w.description,
          w.variables,
          w.python_path,
          steps,
          w.on_failure,
          ...(Object.keys(w.env ?? {}).length || w.clean_env ? [w.env ?? {}, !!w.clean_env] : [])
        ])
      )
      .digest('hex')
  )
}

/**
 * A workflow given as a file is stored under its own id, or one derived from its path, so re-runs share a
 * history. A stored copy edited since (in the app) is not overwritten without --replace.
 */
function upsertFromFile(services: Services, file: string, replace: boolean): string {
  const { store } = services
  const input = readWorkflowFileSync(file)
  const id = input.id ?? `file-${createHash('sha256').update(resolve(file)).digest('hex').slice(0, 12)}`
  const existing = store.hasWorkflow(id) ? store.getWorkflow(id) : null
  if (existing && !replace && contentHash(existing) !== store.getSourceHash(id) && contentHash(existing) !== contentHash(input)) {
    throw new RunInputError(
      `The workflow "${existing.name}" (${id}) was changed in Stepwise since ${file} was last run, and the file differs from it. ` +
        `Run the stored one with: stepwise run ${id}; or let the file replace it with --replace.`
    )
  }
  const hash = contentHash(input)
  store.saveWorkflow({ ...input, id, working_directory: input.working_directory ?? existing?.working_directory ?? null })
  store.setSourceHash(id, hash)
  return id
}

async function runCommand(services: Services, target: string, values: Values): Promise<number> {
  let timeoutSeconds: number | undefined
  if (values.timeout !== undefined) {
    timeoutSeconds = Number(values.timeout)
    if (!timeoutSchema.safeParse(timeoutSeconds).success) {
      throw new UsageError(
        `--timeout needs a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS} (a week), got "${values.timeout}".`
      )
    }
  }
  if (values['from-step'] && values['only-step']) throw new UsageError('--from-step and --only-step cannot be used together.')
  const variables = parseVars(values.var)
  const isFile = existsSync(target) && statSync(target).isFile()
  if (!isFile && /\.json$/i.test(target)) throw new WorkflowFileError('the file does not exist', target)
  const workflowId = isFile ? upsertFromFile(services, resolve(target), !!values.replace) : target
  const workflow = services.store.getWorkflow(workflowId)
  const workingDirectory = resolve(values.workdir ?? workflow.working_directory ?? process.cwd())
  return followRun(services, workflow, values, () =>
    services.runner.start(workflowId, {
      variables,
      debug: values.debug,
      workingDirectory,
      timeoutSeconds,
      python: values.python,
      spare: values['no-spare'] ? false : undefined,
      trigger: 'cli',
      fromStep: values['from-step'],
      onlyStep: values['only-step'],
      maxParallel: maxParallel(values)
    })
  )
}

async function resumeCommand(services: Services, executionId: string, values: Values): Promise<number> {
  const past = services.store.getExecution(executionId)
  const workflow = services.store.getWorkflow(past.workflow_id)
  return followRun(services, workflow, values, () =>
    services.runner.resume(past.id, {
      debug: values.debug,
      spare: values['no-spare'] ? false : undefined,
      maxParallel: maxParallel(values)
    })
  )
}

function maxParallel(values: Values): number | undefined {
  if (values['max-parallel'] === undefined) return undefined
  const n = Number(values['max-parallel'])
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new UsageError(`--max-parallel needs a whole number from 1 to 64, got "${values['max-parallel']}".`)
  return n
}

/** Starts a run, prints its steps as they go, stops it on Ctrl+C, and prints its record at the end. */
async function followRun(services: Services, workflow: Workflow, values: Values, start: () => Promise<StartedRun>): Promise<number> {
  const names = new Map(workflow.steps.map((s) => [s.id, s.name]))
  const err = new ProgressPrinter(process.stderr)
  services.runner.on((event) => {
    if (event.channel === 'env:progress') err.say(`  ${event.payload.line}\n`)
    else if (event.channel === 'run:started' && event.payload.resumed_from) {
      err.say(`Reusing the outputs of run ${event.payload.resumed_from} for the steps that do not run.\n`)
    } else if (event.channel === 'run:stepsAdded') {
      err.say(`The run failed: running its on-failure step${event.payload.steps.length > 1 ? 's' : ''}.\n`)
    } else if (event.channel === 'run:step') {
      const p = event.payload
      const name = names.get(p.step_id) ?? p.step_id
      if (p.reused_from) err.say(`↺ ${name} reused from run ${p.reused_from.slice(0, 8)}\n`)
      else if (p.status === 'RUNNING') err.say(p.attempt > 1 ? `↻ ${name} attempt ${p.attempt}\n` : `▶ ${name}\n`)
      else if (p.status === 'SUCCESS') err.say(`✔ ${name} (${p.duration_ms} ms)\n`)
      else if (p.status === 'SKIPPED') err.say(`– ${name} skipped\n`)
      else if (p.status !== 'PENDING') err.say(`✖ ${name} ${p.status}: ${p.error ?? ''}\n`)
    } else if (event.channel === 'run:log') {
      err.log(event.payload.lines, event.payload.progress)
    }
  })

  const run = await start()
  // Ctrl+C, a closed terminal or a kill stop the run the normal way: its steps' processes end and the run is
  // recorded CANCELLED. A second Ctrl+C quits at once, ending the step's processes first.
  let interrupts = 0
  const onSignal = (signal: NodeJS.Signals): void => {
    if (++interrupts > 1) {
      services.runner.killRunningStepsNow()
      process.exit(130)
    }
    err.say(signal === 'SIGINT' ? 'Stopping… (Ctrl+C again to quit at once)\n' : `Stopping (${signal})…\n`)
    services.runner.stop(run.executionId)
  }
  const signals: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT', 'SIGBREAK'] : ['SIGINT', 'SIGTERM', 'SIGHUP']
  for (const s of signals) process.on(s, onSignal)
  const execution = await run.done.finally(() => {
    signals.forEach((s) => process.off(s, onSignal))
    err.clear()
  })
  if (values.json) await printJson(executionJson(execution, services.store.executionTexts(execution.id)))
  else printSummary(execution, process.stdout)
  return execution.status === 'SUCCESS' || (execution.status === 'COMPLETED_WITH_ERRORS' && values['allow-errors']) ? 0 : 1
}

/** The recorded values go in as the steps' texts (see json-output.ts), never re-written from parsed values. */
export function executionJson(e: Execution, texts: ExecutionTexts) {
  const raw = (m: TextMap): Map<string, RawValue> => new Map([...m].map(([k, v]) => [k, new RawValue(v)]))
  return {
    execution_id: e.id,
    workflow_id: e.workflow_id,
    status: e.status,
    started_at: e.started_at,
    completed_at: e.completed_at,
    trigger: e.trigger,
    trigger_id: e.trigger_id,
    resumed_from: e.resumed_from,
    error: e.error,
    variables: raw(texts.variables),
    step_outputs: raw(texts.stepOutputs),
    steps: e.steps.map((s) => ({
      id: s.step_id,
      name: s.name,
      order: s.order,
      status: s.status,
      exit_code: s.exit_code,
      duration_ms: s.duration_ms,
      error: s.error,
      attempts: s.attempts,
      previous_attempts: s.previous_attempts,
      reused_from: s.reused_from,
      on_failure: s.on_failure,
      logs: s.logs,
      output: texts.outputs.get(s.step_id) ? new RawValue(texts.outputs.get(s.step_id)!) : null,
      script_path: s.script_path,
      variables_path: s.variables_path
    }))
  }
}

function printSummary(e: Execution, out: NodeJS.WritableStream): void {
  say(out, `Execution ${e.id}: ${e.status}${e.duration_ms !== null ? ` in ${(e.duration_ms / 1000).toFixed(1)} s` : ''}\n`)
  if (e.resumed_from) say(out, `  Steps not run here reused the outputs of run ${e.resumed_from}.\n`)
  for (const s of e.steps) {
    const notes = [
      s.attempts > 1 ? `${s.attempts} attempts` : '',
      s.reused_from ? `reused from run ${s.reused_from.slice(0, 8)}` : '',
      s.on_failure ? 'on failure' : ''
    ].filter(Boolean)
    say(
      out,
      `  ${String(s.order).padStart(2)} ${s.name.padEnd(24)} ${s.status}${s.duration_ms !== null ? ` ${s.duration_ms} ms` : ''}${notes.length ? ` (${notes.join(', ')})` : ''}\n`
    )
    if (s.error) say(out, `     ${s.error.replace(/\n/g, '\n     ')}\n`)
    if (s.script_path)
      say(
        out,
        `     re-run by hand: ${rerunCommand(e.python_path, s.script_path, s.variables_path ?? '', process.platform, e.working_directory)}\n`
      )
  }
  if (e.error && e.status !== 'SUCCESS') say(out, `${e.error}\n`)
  say(out, `Variables: ${JSON.stringify(e.variables, null, 2)}\n`)
}
