// Building workflows and step scripts for the tests, and running them on the real services.
import { EnvironmentManager } from '../../src/main/services/environments'
import { mkdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Execution, JsonValue, Step, Variables } from '../../src/shared/model'
import { parseJsonText } from '../../src/shared/json-text'
import { Store } from '../../src/main/services/store'
import { parseWorkflowText, type WorkflowInput } from '../../src/main/services/workflow-file'
import { WorkflowRunner, type RunOptions, type StepOutput } from '../../src/main/services/engine'
import { PYTHON } from './python'

export const REPO_ROOT = resolve(__dirname, '..', '..')
export const EXAMPLE_PATH = join(REPO_ROOT, 'examples', 'fetch-process-save.json')

/** The reference example, validated the way an import reads it. */
export function loadExample(): WorkflowInput {
  return parseWorkflowText(readFileSync(EXAMPLE_PATH, 'utf8'), EXAMPLE_PATH)
}

/** What every test script starts with: the protocol's way of reading its input variables. */
export const PRELUDE = [
  'import json, os, subprocess, sys, time',
  'variables = {}',
  "if '--variables-file' in sys.argv:",
  "    with open(sys.argv[sys.argv.index('--variables-file') + 1], 'r', encoding='utf-8') as f:",
  '        variables = json.load(f)',
  ''
].join('\n')

/** A step script: the prelude, then `body` (written without indentation, lines joined by \n). */
export function py(...lines: string[]): string {
  return `${PRELUDE}${lines.join('\n')}\n`
}

/**
 * A script that starts a child Python, writes "<own pid> <child pid>" to the file named by `pidfileExpr`
 * (a Python expression), optionally logs a line, then sleeps a minute: something a timeout or Stop must end.
 */
export function hangWithChild(pidfileExpr: string, logLine?: string): string {
  return py(
    'child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])',
    `with open(${pidfileExpr}, "w") as f: f.write("%d %d" % (os.getpid(), child.pid))`,
    ...(logLine ? [`print(${JSON.stringify(logLine)}, file=sys.stderr, flush=True)`] : []),
    'time.sleep(60)'
  )
}

/** Opens a store on `path`, runs `fn`, always closes it. */
export function withStore<T>(path: string, fn: (s: Store) => T): T {
  const s = new Store(path)
  try {
    return fn(s)
  } finally {
    s.close()
  }
}

/** A step result's output as the window shows it (parsed from the step's text). */
export function shownOutput(r: { output: StepOutput | null }): JsonValue | null {
  return r.output ? parseJsonText(r.output.text) : null
}

/** Prints `value` (a Python expression) as the step's JSON output. */
export const emit = (expr: string): string => `print(json.dumps(${expr}, ensure_ascii=False))`

export function step(order: number, name: string, code: string, extra: Partial<Step> = {}): Step {
  return {
    id: `step-${order}`,
    order,
    name,
    step_type: 'PYTHON_SCRIPT',
    code,
    description: '',
    input_mapping: {},
    output_mapping: {},
    timeout_seconds: null,
    depends_on: null,
    retry: null,
    continue_on_error: false,
    ...extra
  }
}

export function workflow(name: string, steps: Step[], extra: Partial<WorkflowInput> = {}): WorkflowInput {
  return {
    name,
    description: '',
    variables: {},
    working_directory: null,
    python_path: null,
    steps,
    on_failure: [],
    requirements: [],
    ...extra
  }
}

/** A store on a real SQLite file in `dir`, and a runner whose temp folders go to `dir/tmp`. */
export function openRealServices(dir: string): { store: Store; runner: WorkflowRunner; tempRoot: string; dbPath: string } {
  const dbPath = join(dir, 'stepwise.db')
  const tempRoot = join(dir, 'tmp')
  mkdirSync(tempRoot, { recursive: true })
  const store = new Store(dbPath)
  const runner = new WorkflowRunner(store, { tempRoot, environments: new EnvironmentManager(join(dir, 'environments')) })
  return { store, runner, tempRoot, dbPath }
}

/** Saves `input` and runs it to the end with the test Python; returns the recorded execution. */
export async function saveAndRun(
  services: { store: Store; runner: WorkflowRunner },
  input: WorkflowInput,
  options: RunOptions & { variables?: Variables } = {}
): Promise<Execution> {
  const saved = services.store.saveWorkflow(input)
  const run = await services.runner.start(saved.id, { python: PYTHON, ...options })
  return run.done
}
