// pip's failures as sentences a person can act on; its full output stays one click away (the log file).

export interface PipProblem {
  kind: 'no-network' | 'not-found' | 'no-wheel' | 'hash-mismatch' | 'build-failed' | 'other'
  message: string
}

export function explainPipFailure(output: string, sources: string, python: string): PipProblem {
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
      message: `The package index could not be reached (no network or a proxy in the way). Set a wheel folder or a proxy in Settings → Packages.`
    }
  if (/THESE PACKAGES DO NOT MATCH THE HASHES|hash mismatch/i.test(output))
    return {
      kind: 'hash-mismatch',
      message:
        'A downloaded package did not match its expected hash: the download was damaged or replaced. Try again, or check the wheel folder.'
    }
  if (noWheel)
    return {
      kind: 'no-wheel',
      message: `${noWheel[1]} is not built for this Python (${python}) or this computer; get the wheel made for it.`
    }
  if (notFound) {
    const name = notFound[1].replace(/[.,]$/, '')
    const versions = /\(from versions: ([^)]*)\)/.exec(output)?.[1]?.trim()
    return {
      kind: 'not-found',
      message:
        versions && versions !== 'none'
          ? `No version of ${name} that fits was found in ${sources} (there are: ${versions}); check the version you asked for.`
          : `The package ${name} was not found in ${sources}. Check its name, or put its wheel for this Python into the wheel folder.`
    }
  }
  if (/error: subprocess-exited-with-error|Failed building wheel|Microsoft Visual C\+\+ .* is required/i.test(output))
    return {
      kind: 'build-failed',
      message: 'A package had to be built from source and the build failed; use a wheel built for this Python instead.'
    }
  const last = output
    .trim()
    .split(/\r?\n/)
    .filter((l) => /error/i.test(l))
    .pop()
    ?.trim()
  return { kind: 'other', message: last ? `Installing the packages failed: ${last.slice(0, 300)}` : 'Installing the packages failed.' }
}
