// The step debugger's values as the window sees them (issue 13): breakpoints, frames, variables and the
// events of a session. The bootstrap's own protocol is validated in src/main/services/debugger/protocol.ts.
import { z } from 'zod'
import type { JsonValue } from './model'

export const breakpointSchema = z
  .object({
    line: z.number().int().min(1).max(1_000_000),
    condition: z.string().max(2000).optional()
  })
  .strict()
export type Breakpoint = z.infer<typeof breakpointSchema>

/** Where a breakpoint landed: a line without code moves to the next one that runs, or says why it cannot. */
export interface BreakpointResult {
  line: number
  verified: boolean
  actual_line?: number
  message?: string
}

export interface DebugFrame {
  id: number
  name: string
  file: string
  line: number
  /** A frame of the step's own script (the others are library code the script called). */
  user: boolean
}

export interface DebugVariable {
  name: string
  /** A short repr: long values are cut, a big list shows its first elements only. */
  value: string
  type: string
  /** Non-zero: it has children, fetched page by page with this reference (valid until the step moves on). */
  ref: number
  /** How many children it has, when that is known without walking them. */
  count?: number
}

export type DebugStopReason = 'breakpoint' | 'step' | 'exception' | 'pause'
export type DebugCommand = 'continue' | 'next' | 'stepIn' | 'stepOut' | 'pause'
export const DEBUG_COMMANDS = ['continue', 'next', 'stepIn', 'stepOut', 'pause'] as const

export type DebugEvent =
  | {
      session_id: string
      kind: 'stopped'
      reason: DebugStopReason
      line: number
      frame_id: number
      frames: DebugFrame[]
      exception: string | null
    }
  | { session_id: string; kind: 'continued' }
  | { session_id: string; kind: 'output'; lines: string[] }
  | {
      session_id: string
      kind: 'exited'
      status: 'SUCCESS' | 'FAILED' | 'TIMED_OUT' | 'CANCELLED'
      exit_code: number | null
      output: JsonValue | null
      error: string | null
    }

export interface DebugStarted {
  session_id: string
  breakpoints: BreakpointResult[]
  python: string
  working_directory: string
}

export interface DebugEvaluation {
  result?: DebugVariable
  error?: string
}
