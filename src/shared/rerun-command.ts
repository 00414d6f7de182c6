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
 * It first changes into the run's working folder, since steps read and write files relative to it; a folder
 * that cannot be entered stops the line rather than running the step somewhere else.
 * `platform` is app:info's (Node's process.platform); unknown, a Windows-looking interpreter path decides.
 */
export function rerunCommand(
  pythonPath: string,
  scriptPath: string,
  variablesPath: string,
  platform?: string | null,
  workingDirectory?: string | null
): string {
  const windows = platform ? platform === 'win32' : /^[A-Za-z]:[\\/]|^\\\\/.test(pythonPath)
  if (windows) {
    // PowerShell 5.1 (still the default on Windows 10) has no &&; -ErrorAction Stop ends the line instead.
    const cd = workingDirectory ? `cd -LiteralPath ${powershellQuote(workingDirectory)} -ErrorAction Stop; ` : ''
    return `${cd}& ${powershellQuote(pythonPath)} ${powershellQuote(scriptPath)} --variables-file ${powershellQuote(variablesPath)}`
  }
  const cd = workingDirectory ? `cd ${posixQuote(workingDirectory)} && ` : ''
  return `${cd}${posixQuote(pythonPath)} ${posixQuote(scriptPath)} --variables-file ${posixQuote(variablesPath)}`
}
