// File names built from what people type (step names, workflow names) that are valid on Windows, macOS
// and Linux alike, keeping Korean and every other letter as it is.

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i
// <>:"/\|?* and the control characters are not allowed in Windows file names.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f]/g

/** Forbidden characters replaced, white space folded to "_", trailing dots and spaces dropped; never empty. */
function cleanName(name: string, fallback: string, maxLength: number): string {
  // Windows drops trailing dots and spaces, so "a." and "a" would collide.
  let s = name.normalize('NFC').replace(/[. \s]+$/g, '').replace(FORBIDDEN, '_').replace(/\s+/g, '_')
  if (s.length > maxLength) s = s.slice(0, maxLength).replace(/[. _]+$/g, '')
  if (!s || /^\.+$/.test(s)) s = fallback
  return s
}

/** A name safe to use as one path segment on every system; never empty. */
export function safeFileName(name: string, fallback = 'untitled', maxLength = 80): string {
  const s = cleanName(name, fallback, maxLength)
  // CON, NUL, COM1... name devices on Windows, with any extension ("nul.txt" too).
  return WINDOWS_RESERVED.test(s.split('.')[0]) ? `_${s}` : s
}

/** `step_<order>_<name>`: the stem of a step's script, in exports and in kept debug files. Its prefix keeps it clear of reserved names. */
export function stepFileStem(order: number, name: string): string {
  return `step_${order}_${cleanName(name, 'step', 80)}`
}
