// Values shown on one line in tables (the live Variables pane): never the whole of a big value.
import type { JsonValue } from '../../../shared/model'

/** A value on one line, cut short: a 50 MB list must not be turned into text whole on every event. */
export function shortValue(value: JsonValue, max = 160): string {
  if (typeof value === 'string') return value.length > max ? `${JSON.stringify(value.slice(0, max))}…` : JSON.stringify(value)
  if (Array.isArray(value) && value.length > 200) return `[${value.length} items]`
  const text = JSON.stringify(value) ?? 'null'
  return text.length > max ? `${text.slice(0, max)}…` : text
}
