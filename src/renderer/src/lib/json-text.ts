// The initial-variables editor holds text; it becomes variables only when it parses to a JSON object.
import type { Variables } from '../../../shared/model'

export type ParsedVariables = { ok: true; value: Variables } | { ok: false; error: string }

export function parseVariablesText(text: string): ParsedVariables {
  if (!text.trim()) return { ok: true, value: {} }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'not-object' }
  return { ok: true, value: value as Variables }
}

export function variablesToText(value: Variables): string {
  return JSON.stringify(value, null, 2)
}
