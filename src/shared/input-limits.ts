// How large and how deep input may be, and the names no object key may take. Checked before zod sees a
// value: zod's recursive schemas overflow the stack on a few thousand levels, and zod drops a `__proto__`
// key without a word, so both would otherwise fail silently or kill the process that validates.

export const LIMITS = {
  nameChars: 200,
  descriptionChars: 10_000,
  codeBytes: 1024 * 1024,
  pathChars: 4096,
  variablesBytes: 10 * 1024 * 1024,
  steps: 1000,
  /** A variable's value, a step's output: JSON nested this many levels at most. */
  jsonDepth: 100,
  /** A whole IPC payload: the value's own levels plus the few of the request around it. */
  payloadDepth: 110,
  workflowFileBytes: 20 * 1024 * 1024
} as const

/** Assigning these on a plain object changes or shadows its prototype, so the value would be lost. */
export const RESERVED_NAMES: readonly string[] = ['__proto__', 'constructor', 'prototype']

export type KeyPath = (string | number)[]

/**
 * The path to the first place nested deeper than `maxDepth` levels, or null. Iterative, so any depth is
 * safe; a cycle (possible over IPC, which clones structures) counts as too deep.
 */
export function tooDeepAt(value: unknown, maxDepth: number): KeyPath | null {
  const deepest = new WeakMap<object, number>()
  const stack: { node: unknown; depth: number; path: KeyPath }[] = [{ node: value, depth: 0, path: [] }]
  while (stack.length) {
    const { node, depth, path } = stack.pop()!
    if (typeof node !== 'object' || node === null) continue
    if (depth >= maxDepth) return path
    // Shared sub-objects are walked again only when reached deeper, so the walk stays linear.
    if ((deepest.get(node) ?? -1) >= depth) continue
    deepest.set(node, depth)
    if (Array.isArray(node)) node.forEach((child, i) => stack.push({ node: child, depth: depth + 1, path: [...path, i] }))
    else
      for (const key of Object.keys(node))
        stack.push({ node: (node as Record<string, unknown>)[key], depth: depth + 1, path: [...path, key] })
  }
  return null
}

/** A path as people read it: `variables.config[2].name`, long ones cut in the middle. */
export function formatKeyPath(path: KeyPath, maxParts = 6): string {
  const shown = path.length > maxParts ? [...path.slice(0, maxParts - 1), '…', path[path.length - 1]] : path
  return shown.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${p}`)).join('') || '(the whole value)'
}

/** UTF-8 size without encoding the string (no Buffer here: this runs in the window too). */
export function utf8Bytes(s: string): number {
  let bytes = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1048576).toFixed(1))} MB`
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`
  return `${bytes} bytes`
}

/** "is 3.1 MB; the limit is 1 MB", in bytes when rounding would make both read the same. */
export function sizeOverLimit(bytes: number, limit: number): string {
  const [size, max] =
    formatSize(bytes) === formatSize(limit)
      ? [`${bytes.toLocaleString('en')} bytes`, `${limit.toLocaleString('en')} bytes`]
      : [formatSize(bytes), formatSize(limit)]
  return `is ${size}; the limit is ${max}`
}

/** A path that does not depend on the current folder, on Windows (`C:\…`, `\\server\…`) or macOS/Linux (`/…`). */
export function isFullPath(p: string): boolean {
  return /^(?:[A-Za-z]:[\\/]|[\\/])/.test(p)
}
