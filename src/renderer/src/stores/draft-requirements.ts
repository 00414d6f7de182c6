// The workflow's packages in the draft: kept as the text of the editor (one package per line, so a blank or
// half-typed line survives typing), saved as the non-blank lines, each checked by the shared rule before
// save and refused in the person's language naming the line.
import {
  MAX_REQUIREMENT_LINE,
  MAX_REQUIREMENTS,
  requirementCheck,
  requirementName,
  type RequirementProblemKind
} from '../../../shared/requirements'
import type { MessageKey } from '../i18n'
import type { DraftProblem } from './draft-store'

const KEYS: Record<RequirementProblemKind, MessageKey> = {
  empty: 'packages.problem.invalid',
  too_long: 'packages.problem.tooLong',
  option: 'packages.problem.option',
  shell: 'packages.problem.shell',
  url: 'packages.problem.url',
  marker: 'packages.problem.marker',
  invalid: 'packages.problem.invalid'
}

export function requirementsTextOf(lines: readonly string[]): string {
  return lines.join('\n')
}

/** The lines that are saved: trimmed, blank ones left out. */
export function requirementLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
}

/** Each refused line with its number in the editor (blank lines count, as the person sees them). */
export function requirementDraftProblems(text: string): DraftProblem[] {
  const problems: DraftProblem[] = []
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return
    const p = requirementCheck(line)
    if (p) problems.push({ key: KEYS[p.kind], params: { n: i + 1, line: line.trim(), max: MAX_REQUIREMENT_LINE }, field: 'requirements' })
  })
  const count = requirementLines(text).length
  if (count > MAX_REQUIREMENTS)
    problems.push({ key: 'packages.problem.tooMany', params: { max: MAX_REQUIREMENTS, count }, field: 'requirements' })
  return problems
}

/** The text with `line` added at the end, unless a line already names that package. */
export function withRequirement(text: string, line: string): string {
  const name = requirementName(line)
  if (requirementLines(text).some((l) => requirementName(l) === name)) return text
  const lines = text.replace(/\s+$/, '')
  return lines ? `${lines}\n${line}` : line
}
