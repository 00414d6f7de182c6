// Everything the CLI prints for people goes through here. Workflow and step names, error text and step logs
// come from files and scripts: an escape sequence in them would otherwise recolour, rewrite or retitle the
// terminal (or hide text). --json output is exempt: JSON escapes control characters itself.

// C0 controls except tab and newline, DEL, C1 controls, and the bidirectional overrides that reorder text.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/** The text with each unsafe character shown as a visible `\x1b`-style escape; CRLF becomes LF. */
export function terminalText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0)
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
  })
}

/** Writes text for a person to read, neutralized. */
export function say(stream: NodeJS.WritableStream, text: string): void {
  stream.write(terminalText(text))
}
