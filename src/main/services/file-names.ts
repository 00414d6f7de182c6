// File names built from what people type (step names, workflow names) that are valid on Windows, macOS
// and Linux alike, keeping Korean and every other letter as it is.

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i
// <>:"/\|?* and the control characters are not allowed in Windows file names.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f]/g

/** A name safe to use as one path segment; never empty. */
export function safeFileName(name: string, fallback = 'untitled', maxLength = 80): string {
  let s = name.normalize('NFC').replace(FORBIDDEN, '_').replace(/\s+/g, '_')
  // Windows drops trailing dots and spaces, so "a." and "a" would collide.
  s = s.replace(/[. ]+$/g, '')
  if (s.length > maxLength) s = s.slice(0, maxLength).replace(/[. ]+$/g, '')
  if (!s || /^\.+$/.test(s)) s = fallback
  const stem = s.split('.')[0]
  if (WINDOWS_RESERVED.test(stem)) s = `_${s}`
  return s
}

/** `step_<order>_<name>`: the stem of a step's script, in exports and in kept debug files. */
export function stepFileStem(order: number, name: string): string {
  return `step_${order}_${safeFileName(name, 'step')}`
}
