// pip and uv colour their output when something (a CI, a test runner) sets FORCE_COLOR; the window shows
// text, so the terminal's colour codes are taken out rather than shown as stray characters.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g

export function stripAnsi(text: string): string {
  return text.includes('\u001b') ? text.replace(ANSI, '') : text
}
