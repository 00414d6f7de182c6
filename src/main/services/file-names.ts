// File names built from what people type (step names, workflow names) that are valid on Windows, macOS
// and Linux alike, keeping Korean and every other letter as it is.

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i
// <>:"/\|?* and the control characters are not allowed in Windows file names.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f]/g

/** Forbidden characters replaced, white space folded to "_", trailing dots and spaces dropped; never empty. */
function cleanName(name: string, fallback: string, maxBytes: number): string {
  // Windows drops trailing dots and spaces, so "a." and "a" would collide.
  let s = name
    .normalize('NFC')
    .replace(/[. \s]+$/g, '')
    .replace(FORBIDDEN, '_')
    .replace(/\s+/g, '_')
  if (Buffer.byteLength(s) > maxBytes) s = truncateUtf8(s, maxBytes).replace(/[. _]+$/g, '')
  if (!s || /^\.+$/.test(s)) s = fallback
  return s
}

/**
 * File systems limit a name to 255 bytes (ext4, APFS) or 255 UTF-16 units (NTFS); a Korean letter is 3
 * bytes in UTF-8. Cutting at whole characters to this many bytes leaves room for prefixes and suffixes.
 */
const MAX_NAME_BYTES = 120

function truncateUtf8(s: string, maxBytes: number): string {
  let out = ''
  let bytes = 0
  for (const ch of s) {
    bytes += Buffer.byteLength(ch)
    if (bytes > maxBytes) break
    out += ch
  }
  return out
}

/** A name safe to use as one path segment on every system; never empty. */
export function safeFileName(name: string, fallback = 'untitled', maxBytes = MAX_NAME_BYTES): string {
  const s = cleanName(name, fallback, maxBytes)
  // CON, NUL, COM1... name devices on Windows, with any extension ("nul.txt" too).
  return WINDOWS_RESERVED.test(s.split('.')[0]) ? `_${s}` : s
}

/** `step_<order>_<name>`: the stem of a step's script in exports (the reference's naming, from 0). Its prefix keeps it clear of reserved names. */
export function stepFileStem(order: number, name: string): string {
  return `step_${order}_${cleanName(name, 'step', MAX_NAME_BYTES)}`
}

/** The stem of a step's kept debug files, numbered as the window shows steps (the first is `step_1_…`). */
export function keptStepFileStem(order: number, name: string): string {
  return stepFileStem(order + 1, name)
}
