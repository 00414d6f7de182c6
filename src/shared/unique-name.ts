// A name no other workflow has: an imported "Report" beside an existing "Report" becomes "Report (2)", so the
// list never shows two entries a person cannot tell apart. Compared case-insensitively and trimmed, as a
// person reads them.
import { LIMITS } from './input-limits'

const NUMBERED = /^(.*\S) \((\d+)\)$/

export function uniqueName(wanted: string, taken: Iterable<string>): string {
  const key = (n: string) => n.trim().toLocaleLowerCase()
  const used = new Set([...taken].map(key))
  const name = wanted.trim()
  if (!used.has(key(name))) return name
  // "Report (2)" imported again continues the count rather than becoming "Report (2) (2)".
  const base = NUMBERED.exec(name)?.[1] ?? name
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`
    const candidate = `${base.slice(0, LIMITS.nameChars - suffix.length)}${suffix}`
    if (!used.has(key(candidate))) return candidate
  }
}
