// How the window opens a file a run wrote: scripts and plain text in the app's read-only viewer (the OS
// "open" of a script would run it), everything else (spreadsheets, PDFs, images) with the OS.
const IN_VIEWER = new Set(
  (
    'txt log json jsonl md csv tsv xml yaml yml ini cfg toml sql html htm ' +
    'py pyw bat cmd ps1 psm1 sh bash zsh vbs vbe js mjs cjs wsf hta reg pl rb php lua r'
  ).split(' ')
)
// csv and tsv read fine as text, but office workers expect them in Excel.
const WITH_OS_FIRST = new Set(['csv', 'tsv', 'html', 'htm'])

export function extensionOf(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? ''
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
}

/** 'viewer' for scripts, text and files without an extension (which may be executables); 'os' for documents. */
export function openerOf(path: string): 'viewer' | 'os' {
  const ext = extensionOf(path)
  if (!ext) return 'viewer'
  return IN_VIEWER.has(ext) && !WITH_OS_FIRST.has(ext) ? 'viewer' : 'os'
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1048576).toFixed(1)} MB`
}

/** The path below the working folder, for a short name in the list. */
export function relativeTo(folder: string, path: string): string {
  const base = folder.replace(/[\\/]+$/, '')
  return path.startsWith(base) && /[\\/]/.test(path.charAt(base.length)) ? path.slice(base.length + 1) : path
}
