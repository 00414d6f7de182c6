// The command line that re-runs a kept debug step by hand; the window and the CLI print the same one.

/**
 * A path as one word for PowerShell: single quotes take everything literally ($, `); a quote inside is
 * doubled, including the typographic ones PowerShell also takes as single quotes.
 */
function powershellQuote(s: string): string {
  return `'${s.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')}'`
}

/** A path as one word for POSIX shells: single quotes take everything literally; a ' closes, escapes, reopens. */
function posixQuote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`
}

/**
 * The command that re-runs a kept debug step by hand, for the shell people open on that platform:
 * PowerShell on Windows (it only runs a quoted path after the call operator `&`), sh/bash/zsh elsewhere.
 * `platform` is app:info's (Node's process.platform); unknown, a Windows-looking interpreter path decides.
 */
export function rerunCommand(pythonPath: string, scriptPath: string, variablesPath: string, platform?: string | null): string {
  const windows = platform ? platform === 'win32' : /^[A-Za-z]:[\\/]|^\\\\/.test(pythonPath)
  if (windows) return `& ${powershellQuote(pythonPath)} ${powershellQuote(scriptPath)} --variables-file ${powershellQuote(variablesPath)}`
  return `${posixQuote(pythonPath)} ${posixQuote(scriptPath)} --variables-file ${posixQuote(variablesPath)}`
}
