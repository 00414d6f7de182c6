// The initial-variables editor holds text; it becomes variables only when it parses to a JSON object.
import type { Variables } from '../../../shared/model'
import { describeIssues, variablesSchema } from '../../../shared/schemas'

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
  // The same rules main applies, named here where they can be fixed: a "__proto__" key, which JSON.parse
  // keeps but saving would drop, a reserved name, too deep or too large.
  const checked = variablesSchema.safeParse(value)
  if (!checked.success) return { ok: false, error: describeIssues(checked.error, value) }
  return { ok: true, value: value as Variables }
}

export function variablesToText(value: Variables): string {
  return JSON.stringify(value, null, 2)
}
