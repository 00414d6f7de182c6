// zod schemas for everything that crosses a boundary: workflow files, IPC payloads, settings.
import { z } from 'zod'
import { isFullPath, sizeOverLimit, LIMITS, RESERVED_NAMES, utf8Bytes, type KeyPath } from './input-limits'
import { STEP_TYPES, type JsonValue, type Variables } from './model'
import { workflowEnvSchema } from './workflow-env'
import { MAX_REQUIREMENTS, requirementProblem } from './requirements'

type Issue = { path: KeyPath; message: string }

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

const reservedMessage = (name: string, what: string): string =>
  `"${name}" cannot be ${what}: JavaScript objects reserve it, so its value would be lost; choose another name`

/**
 * Checks a JSON value: finite numbers, plain objects and arrays only, at most `maxDepth` levels, and every key
 * seen (zod's record skips a `__proto__` key, which JSON.parse keeps, so its value would vanish without a
 * word). The depth check comes before descending, so recursion never goes deeper than `maxDepth` whatever the
 * payload; an object met twice (a cycle or a shared branch of a structured clone, never JSON) is refused, so
 * a small payload cannot make the walk exponential.
 */
function jsonIssues(value: unknown, base: KeyPath, maxDepth: number, startDepth = 0): Issue[] {
  const issues: Issue[] = []
  const seen = new Set<object>()
  const keys: (string | number)[] = []
  const problem = (message: string): void => {
    issues.push({ path: [...base, ...keys], message })
  }
  const walk = (node: unknown, depth: number): void => {
    if (issues.length >= 20 || node === null || typeof node === 'boolean' || typeof node === 'string') return
    if (typeof node === 'number') {
      if (!Number.isFinite(node)) problem('must be a finite number')
      return
    }
    const isArray = Array.isArray(node)
    if (!isArray && !isPlainObject(node)) return problem('is not a JSON value')
    if (depth >= maxDepth) return problem(`nests more than ${maxDepth} levels deep; the limit is ${maxDepth}`)
    if (seen.has(node)) return problem('is not a JSON value (the same object appears twice)')
    seen.add(node)
    if (isArray) {
      for (let i = 0; i < node.length; i++) {
        keys.push(i)
        walk(node[i], depth + 1)
        keys.pop()
      }
      return
    }
    for (const key of Object.keys(node)) {
      keys.push(key)
      if (key === '__proto__') problem(reservedMessage(key, 'a key'))
      else walk((node as Record<string, unknown>)[key], depth + 1)
      keys.pop()
    }
  }
  walk(value, startDepth)
  return issues
}

function report(ctx: z.RefinementCtx, issues: Issue[]): void {
  for (const { path, message } of issues) ctx.addIssue({ code: 'custom', path, message })
}

export const jsonValueSchema: z.ZodType<JsonValue> = z
  .custom<JsonValue>()
  .superRefine((v, ctx) => report(ctx, jsonIssues(v, [], LIMITS.jsonDepth)))

/** A variable, mapping or step name: not one JavaScript objects reserve, not endless. */
function nameIssue(name: string, what: string): string | null {
  if (RESERVED_NAMES.includes(name)) return reservedMessage(name, what)
  if (name.length > LIMITS.nameChars) return `${what} may be at most ${LIMITS.nameChars} characters (this one has ${name.length})`
  return null
}

export const variablesSchema: z.ZodType<Variables> = z.custom<Variables>().superRefine((v, ctx) => {
  if (!isPlainObject(v)) return report(ctx, [{ path: [], message: 'must be an object of variables ({"name": value, ...})' }])
  const issues: Issue[] = []
  for (const key of Object.keys(v)) {
    const problem = nameIssue(key, 'a variable name')
    if (problem) issues.push({ path: [key.length > 60 ? `${key.slice(0, 60)}…` : key], message: problem })
  }
  // One walk over all the values (each variable may nest jsonDepth levels below its name).
  if (!issues.length) issues.push(...jsonIssues(v, [], LIMITS.jsonDepth, -1))
  if (!issues.length) {
    const bytes = utf8Bytes(JSON.stringify(v))
    if (bytes > LIMITS.variablesBytes) issues.push({ path: [], message: `${sizeOverLimit(bytes, LIMITS.variablesBytes)} (as JSON)` })
  }
  report(ctx, issues)
})

const mappingSchema = z.custom<Record<string, string>>().superRefine((v, ctx) => {
  if (!isPlainObject(v)) return report(ctx, [{ path: [], message: 'must be an object of names ({"a": "b", ...})' }])
  const issues: Issue[] = []
  for (const [key, value] of Object.entries(v)) {
    const at = [key.length > 60 ? `${key.slice(0, 60)}…` : key]
    const keyProblem = key ? nameIssue(key, 'a mapping key') : 'a mapping key may not be empty'
    if (keyProblem) issues.push({ path: at, message: keyProblem })
    else if (typeof value !== 'string') issues.push({ path: at, message: 'a mapping value must be a name (text)' })
    else {
      const valueProblem = value ? nameIssue(value, 'a mapping value') : 'a mapping value may not be empty'
      if (valueProblem) issues.push({ path: at, message: valueProblem })
    }
  }
  report(ctx, issues)
})

export const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600
export const timeoutSchema = z.number().positive('must be more than 0 seconds').max(MAX_TIMEOUT_SECONDS, 'must be at most a week')

const stepIdSchema = z
  .string()
  .min(1, 'a step id may not be empty')
  .max(100, 'a step id may be at most 100 characters')
  .refine((id) => !RESERVED_NAMES.includes(id), { error: (iss) => reservedMessage(String(iss.input), 'a step id') })

const nameSchema = (what: string) =>
  z.string().trim().min(1, `${what} needs a name`).max(LIMITS.nameChars, `a name may be at most ${LIMITS.nameChars} characters`)

const descriptionSchema = z
  .string()
  .max(LIMITS.descriptionChars, `a description may be at most ${LIMITS.descriptionChars.toLocaleString('en')} characters`)

const codeSchema = z.string().superRefine((code, ctx) => {
  // Most code is far below the limit in characters already; count bytes only near it.
  if (code.length * 3 <= LIMITS.codeBytes) return
  const bytes = utf8Bytes(code)
  if (bytes > LIMITS.codeBytes) ctx.addIssue({ code: 'custom', message: sizeOverLimit(bytes, LIMITS.codeBytes) })
})

const NUL_MESSAGE = 'may not contain a NUL character (\\0): no file or folder can have one in its path'
const pathText = z
  .string()
  .max(LIMITS.pathChars, `a path may be at most ${LIMITS.pathChars} characters`)
  .refine((p) => !p.includes('\0'), NUL_MESSAGE)
/** A folder steps run in: a full path, since a relative one would depend on where Stepwise was started. */
const folderPath = pathText.refine((p) => isFullPath(p), {
  error: (iss) => `must be a full path such as C:\\Users\\me\\Reports or /Users/me/Reports, not "${String(iss.input)}"`
})

/** How far retries may go: enough for a flaky share or API, not enough to hide a broken step for days. */
export const RETRY_LIMITS = { count: 20, delaySeconds: 3600, backoff: 10, exitCodes: 50 } as const

export const retrySchema = z
  .object({
    count: z
      .number()
      .int('must be a whole number')
      .min(0, `must be between 0 and ${RETRY_LIMITS.count}`)
      .max(RETRY_LIMITS.count, `must be between 0 and ${RETRY_LIMITS.count}`),
    delay_seconds: z
      .number()
      .min(0, 'must be 0 seconds or more')
      .max(RETRY_LIMITS.delaySeconds, `must be at most ${RETRY_LIMITS.delaySeconds} seconds (an hour)`)
      .nullish(),
    backoff: z
      .number()
      .min(1, 'must be 1 or more (1: the same wait each time)')
      .max(RETRY_LIMITS.backoff, `must be at most ${RETRY_LIMITS.backoff}`)
      .nullish(),
    exit_codes: z
      .array(z.number().int('an exit code is a whole number').min(-2147483648).max(4294967295))
      .min(1, 'must name at least one exit code, or be left out to retry on any failure')
      .max(RETRY_LIMITS.exitCodes)
      .nullish()
  })
  .strict()

/** A step as written in a workflow file (the reference's format); optional fields get their defaults. */
export const stepFileSchema = z.object({
  id: stepIdSchema.optional(),
  order: z.number().int('must be a whole number').min(0, 'must be 0 or more'),
  name: nameSchema('a step'),
  step_type: z.enum(STEP_TYPES, { error: `must be one of ${STEP_TYPES.join(', ')}` }),
  code: codeSchema,
  description: descriptionSchema.nullish(),
  input_mapping: mappingSchema.nullish(),
  output_mapping: mappingSchema.nullish(),
  timeout_seconds: timeoutSchema.nullish(),
  depends_on: z.array(stepIdSchema).max(LIMITS.steps).nullish(),
  retry: retrySchema.nullish(),
  continue_on_error: z.boolean().nullish()
})

export const workflowFileSchema = z.object({
  id: z.string().min(1).max(200, 'a workflow id may be at most 200 characters').optional(),
  name: nameSchema('a workflow'),
  description: descriptionSchema.nullish(),
  variables: variablesSchema.nullish(),
  // "" is how some files say "not set"; it is read as null.
  working_directory: z.union([z.literal(''), folderPath]).nullish(),
  python_path: pathText.nullish(),
  steps: z.array(stepFileSchema).max(LIMITS.steps, `a workflow may have at most ${LIMITS.steps} steps`),
  on_failure: z.array(stepIdSchema).max(5, 'may name at most 5 steps').nullish(),
  env: workflowEnvSchema.nullish(),
  clean_env: z.boolean().nullish(),
  requirements: z
    .array(
      z.string().superRefine((line, ctx) => {
        const problem = requirementProblem(line)
        if (problem) ctx.addIssue({ code: 'custom', message: problem })
      })
    )
    .max(MAX_REQUIREMENTS, `may list at most ${MAX_REQUIREMENTS} packages`)
    .nullish()
})
export type WorkflowFile = z.infer<typeof workflowFileSchema>

/** A workflow as the editor saves it: the same shape as a file, ids included. */
export const workflowDraftSchema = workflowFileSchema.extend({
  id: z.string().min(1),
  steps: z.array(stepFileSchema.extend({ id: stepIdSchema })).max(LIMITS.steps, `a workflow may have at most ${LIMITS.steps} steps`)
})
export type WorkflowDraft = z.infer<typeof workflowDraftSchema>

/** An index or proxy address: http(s) only, one argument to pip, never an option. */
const indexUrl = z
  .string()
  .max(2000)
  .regex(/^https?:\/\/[^\s"'`$|&;<>\\]+$/, 'must be an http:// or https:// address without spaces or quotes')

export const settingsPatchSchema = z
  .object({
    python_path: pathText.min(1).nullable(),
    default_timeout_seconds: timeoutSchema,
    debug_mode: z.boolean(),
    default_working_directory: folderPath.nullable(),
    language: z.enum(['en', 'ko']).nullable(),
    theme: z.enum(['system', 'light', 'dark']),
    spare_interpreters: z.boolean(),
    keep_running_in_background: z.boolean(),
    start_at_login: z.boolean(),
    max_parallel: z.number().int('must be a whole number').min(1, 'must be 1 or more').max(64, 'must be at most 64').nullable(),
    package_index_url: indexUrl.nullable(),
    package_extra_index_url: indexUrl.nullable(),
    package_find_links: folderPath.nullable(),
    package_offline: z.boolean(),
    package_proxy: indexUrl.nullable(),
    package_ca_bundle: pathText.min(1).nullable(),
    history_keep_days: z.number().int('must be a whole number').min(1, 'must be 1 or more').max(3650, 'must be at most 3650').nullable()
  })
  .partial()
  .strict()

/** One line per problem, each naming where it is: `steps[1] "Process_Data" → output_mapping.x: ...`. */
export function describeIssues(error: z.ZodError, input: unknown): string {
  // "steps[2] "Load".code is 3.1 MB; ...": a message that starts with "is" reads on from the path.
  return error.issues
    .map((issue) => `${describePath(issue.path, input)}${issue.message.startsWith('is ') ? ' ' : ': '}${issue.message}`)
    .join('\n')
}

function describePath(path: readonly PropertyKey[], input: unknown): string {
  if (path.length === 0) return '(the whole file)'
  const parts: string[] = []
  let node: unknown = input
  for (let i = 0; i < path.length; i++) {
    const key = path[i]
    if (typeof key === 'number') {
      const name = isRecord(node) && Array.isArray(node) && isRecord(node[key]) ? (node[key] as Record<string, unknown>).name : undefined
      parts.push(`[${key}]${typeof name === 'string' && name ? ` "${name}"` : ''}`)
    } else {
      parts.push(`${parts.length ? '.' : ''}${String(key)}`)
    }
    node = isRecord(node) ? (node as Record<PropertyKey, unknown>)[key] : undefined
  }
  return parts.join('')
}

function isRecord(v: unknown): v is Record<PropertyKey, unknown> {
  return typeof v === 'object' && v !== null
}
