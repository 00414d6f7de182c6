// pip's failures as sentences a person can act on; its full output stays one click away (the log file).
// Each sentence also goes as a code for the window; pip's own words stay as pip wrote them.
import { errorMessage, type ErrorMessage } from '../../../shared/error-messages'

export interface PipProblem {
  kind: 'no-network' | 'not-found' | 'no-wheel' | 'hash-mismatch' | 'build-failed' | 'other'
  message: string
  explanation: ErrorMessage
}

/**
 * `sources` is the English phrase of where pip looked; `locations` the same places as bare addresses and
 * folders, which the window's sentence lists in any language (none: there was nowhere to look).
 */
export function explainPipFailure(output: string, sources: string, python: string, locations: string[] = [sources]): PipProblem {
  const notFound =
    /No matching distribution found for ([^\s]+)/.exec(output) ?? /Because ([^\s]+) was not found in the package registry/.exec(output)
  const noWheel = /([^\s/\\]+\.whl) is not a supported wheel on this platform/.exec(output)
  if (
    /NewConnectionError|Failed to establish a new connection|Temporary failure in name resolution|Name or service not known|getaddrinfo failed|ConnectTimeout|Network is unreachable|ProxyError|dns error|failed to connect/i.test(
      output
    )
  )
    return {
      kind: 'no-network',
      message: `The package index could not be reached (no network or a proxy in the way). Set a wheel folder or a proxy in Settings → Packages.`,
      explanation: errorMessage('packagesNoNetwork', {})
    }
  if (/THESE PACKAGES DO NOT MATCH THE HASHES|hash mismatch/i.test(output))
    return {
      kind: 'hash-mismatch',
      message:
        'A downloaded package did not match its expected hash: the download was damaged or replaced. Try again, or check the wheel folder.',
      explanation: errorMessage('packageHashMismatch', {})
    }
  if (noWheel)
    return {
      kind: 'no-wheel',
      message: `${noWheel[1]} is not built for this Python (${python}) or this computer; get the wheel made for it.`,
      explanation: errorMessage('packageNoWheel', { wheel: noWheel[1], python })
    }
  if (notFound) {
    const name = notFound[1].replace(/[.,]$/, '')
    const versions = /\(from versions: ([^)]*)\)/.exec(output)?.[1]?.trim()
    const where = locations.join(', ')
    if (versions && versions !== 'none')
      return {
        kind: 'not-found',
        message: `No version of ${name} that fits was found in ${sources} (there are: ${versions}); check the version you asked for.`,
        explanation: errorMessage('packageVersionNotFound', { name, where, versions })
      }
    return {
      kind: 'not-found',
      message: `The package ${name} was not found in ${sources}. Check its name, or put its wheel for this Python into the wheel folder.`,
      explanation: where ? errorMessage('packageNotFound', { name, where }) : errorMessage('packageNotFoundNowhere', { name })
    }
  }
  if (/error: subprocess-exited-with-error|Failed building wheel|Microsoft Visual C\+\+ .* is required/i.test(output))
    return {
      kind: 'build-failed',
      message: 'A package had to be built from source and the build failed; use a wheel built for this Python instead.',
      explanation: errorMessage('packageBuildFailed', {})
    }
  const last = output
    .trim()
    .split(/\r?\n/)
    .filter((l) => /error/i.test(l))
    .pop()
    ?.trim()
    .slice(0, 300)
  return {
    kind: 'other',
    message: last ? `Installing the packages failed: ${last}` : 'Installing the packages failed.',
    explanation: errorMessage('packageInstallFailed', {}, last)
  }
}
