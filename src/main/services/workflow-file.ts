// Workflow files: the reference's JSON format, read with full validation and written back the same way.
import { readFileSync, statSync, type Stats } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { formatSize, LIMITS } from '../../shared/input-limits'
import type { Step, Workflow } from '../../shared/model'
import type { WorkflowInput } from './store/workflows'
import { describeIssues, workflowFileSchema, type WorkflowFile } from '../../shared/schemas'
import { describeRunControlProblem, runControlDetail, runControlProblems } from '../../shared/run-graph'

export class WorkflowFileError extends Error {
  constructor(
    message: string,
    readonly source?: string
  ) {
    super(source ? `${source} is not a valid workflow:\n${message}` : `Not a valid workflow:\n${message}`)
    this.name = 'WorkflowFileError'
  }
}

export type { WorkflowInput } from './store/workflows'

/** Reads a workflow file, refusing one too large to be a workflow before reading it (import and `stepwise run` alike). */
export async function readWorkflowFile(file: string): Promise<WorkflowInput> {
  checkFileSize(file, await stat(file).catch(() => null))
  return parseWorkflowText(await readFile(file, 'utf8'), file)
}

/** The same, for the CLI's run, which reads and stores the file in one synchronous go. */
export function readWorkflowFileSync(file: string): WorkflowInput {
  checkFileSize(file, statSync(file, { throwIfNoEntry: false }) ?? null)
  return parseWorkflowText(readFileSync(file, 'utf8'), file)
}

function checkFileSize(file: string, info: Stats | null): void {
  if (!info?.isFile()) throw new WorkflowFileError('the file does not exist or cannot be read', file)
  if (info.size > LIMITS.workflowFileBytes)
    throw new WorkflowFileError(
      `the file is ${formatSize(info.size)}; a workflow file may be at most ${formatSize(LIMITS.workflowFileBytes)}`,
      file
    )
}

/** Parses the text of a workflow file; `source` names it in messages (a path). */
export function parseWorkflowText(text: string, source?: string): WorkflowInput {
  let data: unknown
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (err) {
    throw new WorkflowFileError(`it is not JSON (${(err as Error).message})`, source)
  }
  return normalizeWorkflow(data, source)
}

/** Validates a workflow in file form (from a file or the editor) and fills in the defaults. */
export function normalizeWorkflow(data: unknown, source?: string): WorkflowInput {
  const parsed = workflowFileSchema.safeParse(data)
  if (!parsed.success) throw new WorkflowFileError(describeIssues(parsed.error, data), source)
  const file: WorkflowFile = parsed.data
  const problems: string[] = []
  const where = (i: number): string => `steps[${i}] "${file.steps[i].name}"`

  const orders = new Map<number, number>()
  file.steps.forEach((s, i) => {
    const first = orders.get(s.order)
    if (first !== undefined) problems.push(`${where(i)}.order: ${s.order} is already the order of ${where(first)}`)
    else orders.set(s.order, i)
  })
  const ids = new Map<string, number>()
  const used = new Set(file.steps.map((s) => s.id).filter(Boolean) as string[])
  const steps: Step[] = file.steps.map((s, i) => {
    let id = s.id
    if (!id) {
      // The reference's files often have no ids; give readable ones, as its "step-0-id" keys suggest.
      let n = s.order
      while (used.has(`step-${n}`)) n++
      id = `step-${n}`
      used.add(id)
    }
    const first = ids.get(id)
    if (first !== undefined) problems.push(`${where(i)}.id: "${id}" is already the id of ${where(first)}`)
    else ids.set(id, i)
    return {
      id,
      order: s.order,
      name: s.name,
      step_type: s.step_type,
      code: s.code,
      description: s.description ?? '',
      input_mapping: s.input_mapping ?? {},
      output_mapping: s.output_mapping ?? {},
      timeout_seconds: s.timeout_seconds ?? null,
      depends_on: s.depends_on ?? null,
      retry: s.retry
        ? {
            count: s.retry.count,
            delay_seconds: s.retry.delay_seconds ?? 0,
            backoff: s.retry.backoff ?? 1,
            exit_codes: s.retry.exit_codes ?? null
          }
        : null,
      continue_on_error: s.continue_on_error ?? false
    }
  })
  const onFailure = [...new Set(file.on_failure ?? [])]
  if (!problems.length)
    for (const p of runControlProblems(steps, onFailure)) {
      const i = p.field === 'on_failure' ? -1 : file.steps.findIndex((s) => s.name === p.step)
      problems.push(i < 0 ? describeRunControlProblem(p) : `${where(i)}.${p.field}: ${runControlDetail(p)}`)
    }
  if (problems.length) throw new WorkflowFileError(problems.join('\n'), source)
  steps.sort((a, b) => a.order - b.order)
  return {
    id: file.id,
    name: file.name,
    description: file.description ?? '',
    variables: file.variables ?? {},
    working_directory: file.working_directory || null,
    python_path: file.python_path || null,
    steps,
    on_failure: onFailure,
    env: file.env ?? {},
    clean_env: file.clean_env ?? false,
    requirements: (file.requirements ?? []).map((r) => r.trim()).filter(Boolean)
  }
}

/** The workflow as a file, in the reference's format; importing it gives the same workflow back. */
export function workflowToFile(workflow: Workflow): WorkflowFile & { id: string } {
  return {
    id: workflow.id,
    name: workflow.name,
    description: workflow.description,
    variables: workflow.variables,
    working_directory: workflow.working_directory,
    python_path: workflow.python_path,
    steps: workflow.steps.map((s) => ({
      id: s.id,
      order: s.order,
      name: s.name,
      step_type: s.step_type,
      code: s.code,
      description: s.description,
      input_mapping: s.input_mapping,
      output_mapping: s.output_mapping,
      timeout_seconds: s.timeout_seconds,
      depends_on: s.depends_on,
      retry: s.retry,
      continue_on_error: s.continue_on_error
    })),
    on_failure: workflow.on_failure,
    env: workflow.env,
    clean_env: workflow.clean_env,
    requirements: workflow.requirements
  }
}
