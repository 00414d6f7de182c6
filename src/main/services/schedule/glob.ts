// A trigger's file pattern, matched against a file's name (not its folder): `*`, `?`, `[abc]`, `{csv,xlsx}`.
// Case-insensitive, as file names are on Windows and macOS.
import { errorMessage } from '../../../shared/error-messages'
import { ScheduleInputError } from './cron'

export function globToRegExp(pattern: string): RegExp {
  if (!pattern.trim())
    throw new ScheduleInputError('The file pattern is empty; use * for every file or e.g. *.csv.', errorMessage('patternEmpty', {}))
  if (/[\\/]/.test(pattern))
    throw new ScheduleInputError(
      `The file pattern "${pattern}" contains a folder separator; it is matched against file names only (e.g. *.csv).`,
      errorMessage('patternHasSeparator', { pattern })
    )
  let re = ''
  let inBraces = false
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '*') re += '.*'
    else if (c === '?') re += '.'
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1)
      if (end < 0)
        throw new ScheduleInputError(
          `The file pattern "${pattern}" has a "[" without its "]".`,
          errorMessage('patternUnclosed', { pattern, open: '[', close: ']' })
        )
      const body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\')
      re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`
      i = end
    } else if (c === '{') {
      if (inBraces)
        throw new ScheduleInputError(`The file pattern "${pattern}" nests "{".`, errorMessage('patternNestedBraces', { pattern }))
      inBraces = true
      re += '(?:'
    } else if (c === '}' && inBraces) {
      inBraces = false
      re += ')'
    } else if (c === ',' && inBraces) re += '|'
    else re += c.replace(/[.+^$()|\\\]]/g, '\\$&')
  }
  if (inBraces)
    throw new ScheduleInputError(
      `The file pattern "${pattern}" has a "{" without its "}".`,
      errorMessage('patternUnclosed', { pattern, open: '{', close: '}' })
    )
  return new RegExp(`^${re}$`, 'i')
}

/** Files that are still being written by Office, browsers and sync tools, never a finished file. */
export function isTemporaryFile(name: string): boolean {
  return /^~\$/.test(name) || /\.(tmp|crdownload|partial|part|download)$/i.test(name) || /^\.~lock\./.test(name)
}
