// Breakpoints persist per step in this window's localStorage (workflow id + step id): they belong to the
// person's way of looking at a step, not to the workflow, so exports and the database never carry them.
import type { Breakpoint } from '../../../shared/debugger'

const PREFIX = 'stepwise.breakpoints.'

/** The part of the window's localStorage used here (typed without the DOM, so Node tests can hand one in). */
interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

function storage(): KeyValueStorage | null {
  try {
    return (globalThis as { localStorage?: KeyValueStorage }).localStorage ?? null
  } catch {
    return null
  }
}

export function breakpointKey(workflowId: string, stepId: string): string {
  return `${PREFIX}${workflowId}:${stepId}`
}

export function loadBreakpoints(workflowId: string, stepId: string): Breakpoint[] {
  const text = storage()?.getItem(breakpointKey(workflowId, stepId))
  if (!text) return []
  try {
    const value: unknown = JSON.parse(text)
    if (!Array.isArray(value)) return []
    return value
      .filter(
        (b): b is Breakpoint => !!b && typeof b === 'object' && Number.isInteger((b as Breakpoint).line) && (b as Breakpoint).line > 0
      )
      .map((b) => (typeof b.condition === 'string' && b.condition ? { line: b.line, condition: b.condition } : { line: b.line }))
  } catch {
    return []
  }
}

export function saveBreakpoints(workflowId: string, stepId: string, breakpoints: Breakpoint[]): void {
  const key = breakpointKey(workflowId, stepId)
  try {
    if (breakpoints.length) storage()?.setItem(key, JSON.stringify(breakpoints))
    else storage()?.removeItem(key)
  } catch {
    // A full or disabled storage only loses the persistence, never the breakpoints of this session.
  }
}

/** The breakpoints with one at `line` added, or removed when it was there. */
export function toggled(breakpoints: Breakpoint[], line: number): Breakpoint[] {
  return breakpoints.some((b) => b.line === line)
    ? breakpoints.filter((b) => b.line !== line)
    : [...breakpoints, { line }].sort((a, b) => a.line - b.line)
}
