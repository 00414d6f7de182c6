// Why a secret's name or value is refused, as a code the window translates: the same checks, in the same
// order, as envNameProblem and secretValueSchema, whose English sentences the CLI keeps printing.
import { errorMessage, type ErrorMessage } from './error-messages'
import { RESERVED_NAMES } from './input-limits'
import { ENV_LIMITS, ENV_NAME_PATTERN } from './workflow-env'

export function secretNameExplanation(name: string): ErrorMessage | null {
  if (!name) return errorMessage('secretNameEmpty', {})
  if (name.length > ENV_LIMITS.nameChars)
    return errorMessage('secretNameTooLong', { max: String(ENV_LIMITS.nameChars), length: String(name.length) })
  if (!ENV_NAME_PATTERN.test(name)) return errorMessage('secretNameInvalid', { name })
  if (RESERVED_NAMES.includes(name)) return errorMessage('secretNameReserved', { name })
  return null
}

export function secretValueExplanation(name: string, value: string): ErrorMessage | null {
  if (!value) return errorMessage('secretValueEmpty', { name })
  if (value.length > ENV_LIMITS.valueChars)
    return errorMessage('secretValueTooLong', { name, max: ENV_LIMITS.valueChars.toLocaleString('en') })
  if (value.includes('\0')) return errorMessage('secretValueNul', { name })
  return null
}
