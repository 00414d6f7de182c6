// strictJson for a text that arrives in pieces (a value kept in a file, written into `--json`): NaN,
// Infinity and -Infinity outside strings become null, everything else passes as it is. A token cut between
// two pieces is held back until it ends, so the output never depends on where the pieces were cut.
const TOKENS = new Set(['NaN', 'Infinity', '-Infinity'])

export class StrictJsonStream {
  private inString = false
  private escaped = false
  /** A token outside strings not yet known to be a number or a Python float. */
  private token = ''

  write(text: string): string {
    const out: string[] = []
    let from = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (this.inString) {
        if (this.escaped) this.escaped = false
        else if (c === 0x5c) this.escaped = true
        else if (c === 0x22) this.inString = false
        continue
      }
      const tokenByte =
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2b || c === 0x2d || c === 0x2e
      if (tokenByte) {
        if (!this.token) out.push(text.slice(from, i))
        this.token += text[i]
        from = i + 1
        continue
      }
      if (this.token) {
        out.push(this.flushToken())
        from = i
      }
      if (c === 0x22) this.inString = true
    }
    if (!this.token) out.push(text.slice(from))
    return out.join('')
  }

  end(): string {
    return this.token ? this.flushToken() : ''
  }

  private flushToken(): string {
    const t = this.token
    this.token = ''
    return TOKENS.has(t) ? 'null' : t
  }
}
