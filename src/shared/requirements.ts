// A workflow's packages as pip requirement lines, checked before anything reaches pip: a line is a package
// name with optional extras, version and environment marker (PEP 508). Options (`--index-url`, `-r file`),
// URLs and anything a shell would act on are refused: pip gets each line as one argument, never a shell
// string, and where packages come from is a setting, not something a workflow file may smuggle in.

export const MAX_REQUIREMENTS = 200
export const MAX_REQUIREMENT_LINE = 300
const MAX_LINE = MAX_REQUIREMENT_LINE

const NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?'
const EXTRAS = `(?:\\s*\\[\\s*${NAME}(?:\\s*,\\s*${NAME})*\\s*\\])?`
const VERSION = '[A-Za-z0-9.*+!_-]+'
const SPEC = `(?:\\s*(?:===|==|~=|!=|<=|>=|<|>)\\s*${VERSION})`
const SPECS = `(?:${SPEC}(?:\\s*,${SPEC})*|\\s*\\(\\s*${SPEC.slice(3, -1)}(?:\\s*,${SPEC})*\\s*\\))?`
const MARKER = `(?:\\s*;\\s*[A-Za-z0-9_ .'"=<>!~()-]+)?`
const MARKER_VARIABLE =
  /\b(python_version|python_full_version|sys_platform|platform_system|platform_machine|platform_release|platform_version|os_name|implementation_name|implementation_version|platform_python_implementation|extra)\s*(==|!=|<=|>=|<|>|~=|in\b|not\s+in\b)/
const LINE = new RegExp(`^\\s*(${NAME})${EXTRAS}${SPECS}${MARKER}\\s*$`)

/** What is wrong with a line, by kind, so the window can say it in the person's language. */
export type RequirementProblemKind = 'empty' | 'too_long' | 'option' | 'shell' | 'url' | 'marker' | 'invalid'
export interface RequirementProblem {
  kind: RequirementProblemKind
  message: string
}

/** Why a requirement line is refused, or null when it is fine. */
export function requirementCheck(line: string): RequirementProblem | null {
  const text = line.trim()
  const problem = (kind: RequirementProblemKind, message: string): RequirementProblem => ({ kind, message })
  if (!text) return problem('empty', 'is empty')
  if (text.length > MAX_LINE) return problem('too_long', `is longer than ${MAX_LINE} characters`)
  if (text.startsWith('-'))
    return problem('option', `"${text}" is an option, not a package; where packages come from is set in Settings → Packages`)
  if (/[`$|&\\\r\n]|\$\(/.test(text))
    return problem('shell', `"${text}" contains characters a shell would act on (\` $ | & \\); write only a package and its version`)
  if (/:\/\/|\s@\s|^@/.test(text))
    return problem(
      'url',
      `"${text}" is a URL or direct reference; put the wheel in the local wheel folder set in Settings → Packages instead`
    )
  const marker = text.indexOf(';')
  if (marker >= 0 && !MARKER_VARIABLE.test(text.slice(marker)))
    return problem('marker', `"${text}" has a ";" without an environment marker after it (e.g. ; sys_platform == "win32")`)
  if (!LINE.test(text)) return problem('invalid', `"${text}" is not a package requirement (e.g. openpyxl, requests>=2.31, pandas==2.2.*)`)
  return null
}

/** Why a requirement line is refused, in English, or null when it is fine. */
export function requirementProblem(line: string): string | null {
  return requirementCheck(line)?.message ?? null
}

/** The package name of a valid line, normalized as pip compares names (PEP 503). */
export function requirementName(line: string): string {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line)
  return (m?.[1] ?? line).toLowerCase().replace(/[-_.]+/g, '-')
}

/** The lines as they decide an environment: names normalized, spaces removed, sorted, each once. */
export function normalizeRequirements(lines: readonly string[]): string[] {
  const seen = new Set<string>()
  for (const line of lines) {
    const text = line.trim()
    if (!text) continue
    const rest = text.replace(/^[A-Za-z0-9._-]+/, '')
    seen.add(`${requirementName(text)}${rest.replace(/\s+/g, '')}`)
  }
  return [...seen].sort()
}
