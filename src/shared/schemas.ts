// zod schemas for everything that crosses a boundary: workflow files, IPC payloads, settings.
import { z } from 'zod'
import { STEP_TYPES, type JsonValue } from './model'

export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(jsonValueSchema), z.record(z.string(), jsonValueSchema)])
)

export const variablesSchema = z.record(z.string(), jsonValueSchema)

const mappingSchema = z.record(z.string().min(1, 'a mapping key may not be empty'), z.string().min(1, 'a mapping value may not be empty'))

export const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600
export const timeoutSchema = z.number().positive('must be more than 0 seconds').max(MAX_TIMEOUT_SECONDS, 'must be at most a week')

const stepIdSchema = z.string().min(1, 'a step id may not be empty').max(100, 'a step id may be at most 100 characters')

/** A step as written in a workflow file (the reference's format); optional fields get their defaults. */
export const stepFileSchema = z.object({
  id: stepIdSchema.optional(),
  order: z.number().int('must be a whole number').min(0, 'must be 0 or more'),
  name: z.string().trim().min(1, 'a step needs a name').max(200),
  step_type: z.enum(STEP_TYPES, { error: `must be one of ${STEP_TYPES.join(', ')}` }),
  code: z.string(),
  description: z.string().nullish(),
  input_mapping: mappingSchema.nullish(),
  output_mapping: mappingSchema.nullish(),
  timeout_seconds: timeoutSchema.nullish(),
  depends_on: z.array(stepIdSchema).nullish()
})

export const workflowFileSchema = z.object({
  id: z.string().min(1).max(200, 'a workflow id may be at most 200 characters').optional(),
  name: z.string().trim().min(1, 'a workflow needs a name').max(200),
  description: z.string().nullish(),
  variables: variablesSchema.nullish(),
  working_directory: z.string().nullish(),
  python_path: z.string().nullish(),
  steps: z.array(stepFileSchema)
})
export type WorkflowFile = z.infer<typeof workflowFileSchema>

/** A workflow as the editor saves it: the same shape as a file, ids included. */
export const workflowDraftSchema = workflowFileSchema.extend({
  id: z.string().min(1),
  steps: z.array(stepFileSchema.extend({ id: stepIdSchema }))
})
export type WorkflowDraft = z.infer<typeof workflowDraftSchema>

export const settingsPatchSchema = z
  .object({
    python_path: z.string().min(1).nullable(),
    default_timeout_seconds: timeoutSchema,
    debug_mode: z.boolean(),
    default_working_directory: z.string().min(1).nullable(),
    language: z.enum(['en', 'ko']).nullable(),
    theme: z.enum(['system', 'light', 'dark'])
  })
  .partial()
  .strict()

/** One line per problem, each naming where it is: `steps[1] "Process_Data" → output_mapping.x: ...`. */
export function describeIssues(error: z.ZodError, input: unknown): string {
  return error.issues.map((issue) => `${describePath(issue.path, input)}: ${issue.message}`).join('\n')
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
