// The debug bootstrap's messages (resources/python/debug_bootstrap.py), version 1: newline-delimited JSON.
// Every line it sends is checked here; one of the wrong shape is refused (and logged by the channel), so
// nothing the debuggee's process writes reaches the window unchecked.
import { z } from 'zod'

export const PROTOCOL_VERSION = 1
/** A line longer than this is refused: the bootstrap pages values and caps their reprs. */
export const MAX_MESSAGE_CHARS = 4 * 1024 * 1024

const envelope = { v: z.literal(PROTOCOL_VERSION), seq: z.number().int().min(0) }

const variable = z.object({
  name: z.string(),
  value: z.string(),
  type: z.string(),
  ref: z.number().int().min(0),
  count: z.number().int().min(0).optional()
})

const frame = z.object({
  id: z.number().int().min(0),
  name: z.string(),
  file: z.string(),
  line: z.number().int().min(0),
  user: z.boolean()
})

export const helloSchema = z.object({
  ...envelope,
  type: z.literal('hello'),
  token: z.string(),
  pid: z.number().int(),
  python: z.string()
})

export const stoppedBodySchema = z.object({
  reason: z.enum(['breakpoint', 'step', 'exception', 'pause']),
  frame_id: z.number().int().min(0),
  line: z.number().int().min(0),
  file: z.string(),
  exception: z.string().optional()
})

const eventSchema = z.discriminatedUnion('event', [
  z.object({ ...envelope, type: z.literal('event'), event: z.literal('stopped'), body: stoppedBodySchema }),
  z.object({ ...envelope, type: z.literal('event'), event: z.literal('continued'), body: z.object({}) }),
  z.object({
    ...envelope,
    type: z.literal('event'),
    event: z.literal('output'),
    body: z.object({ category: z.string(), text: z.string() })
  })
])

const responseSchema = z.object({
  ...envelope,
  type: z.literal('response'),
  request_seq: z.number().int().min(0),
  command: z.string(),
  success: z.boolean(),
  body: z.unknown().optional(),
  message: z.string().optional()
})

export const messageSchema = z.union([helloSchema, eventSchema, responseSchema])
export type BootstrapMessage = z.infer<typeof messageSchema>
export type BootstrapEvent = z.infer<typeof eventSchema>

/** The bodies of the answers, by command; an answer of the wrong shape fails its request. */
export const responseBodies = {
  setBreakpoints: z.object({
    breakpoints: z.array(
      z.object({ line: z.number().int(), verified: z.boolean(), actual_line: z.number().int().optional(), message: z.string().optional() })
    )
  }),
  stack: z.object({ frames: z.array(frame) }),
  scopes: z.object({ scopes: z.array(z.object({ name: z.string(), ref: z.number().int().min(1), count: z.number().int().min(0) })) }),
  variables: z.object({ variables: z.array(variable), total: z.number().int().min(0), start: z.number().int().min(0) }),
  evaluate: z.object({ result: variable.optional(), error: z.string().optional(), statement: z.boolean().optional() }),
  empty: z.object({}).passthrough()
} as const

/** One line from the bootstrap, parsed and checked: the message, or why it was refused. */
export function parseMessage(line: string): { ok: true; message: BootstrapMessage } | { ok: false; why: string } {
  if (line.length > MAX_MESSAGE_CHARS)
    return { ok: false, why: `a message of ${line.length} characters (the limit is ${MAX_MESSAGE_CHARS})` }
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return { ok: false, why: `not JSON: ${line.slice(0, 120)}` }
  }
  const parsed = messageSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return { ok: false, why: `wrong shape (${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}): ${line.slice(0, 120)}` }
  }
  return { ok: true, message: parsed.data }
}
