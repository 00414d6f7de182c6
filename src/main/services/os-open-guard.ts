// The one rule for what Stepwise hands to the OS "open" verb (Electron's shell.openPath). On Windows,
// opening a .py, .bat or .exe RUNS it; on macOS, opening an extensionless executable runs it in Terminal
// and opening a .app bundle starts the app. So a script or any executable type never reaches the open verb:
// scripts are read in the app's viewer or handed to a text editor instead.
import type { Stats } from 'node:fs'
import { errorMessage, type ErrorMessage } from '../../shared/error-messages'

/**
 * Types an OS may execute, install, mount or follow when "opened": Windows (PATHEXT and the other
 * handlers that run code), macOS bundles and Terminal files, Linux launchers, and interpreters' scripts.
 */
const EXECUTABLE_EXTENSIONS = new Set(
  (
    'py pyw pyc pyo pyz pyzw ipynb ' +
    'bat cmd com exe scr pif cpl msi msp mst msc lnk url reg inf scf hta chm hlp ' +
    'vb vbs vbe js jse mjs cjs wsf wsc wsh ws ps1 ps1xml psc1 psd1 psm1 ' +
    'application appref-ms gadget jar jnlp dll ocx sys drv diagcab settingcontent-ms library-ms search-ms ' +
    'iso img vhd vhdx xbap job ' +
    'sh bash zsh csh ksh fish command tool terminal app pkg mpkg dmg action workflow scpt applescript ' +
    'webloc inetloc fileloc desktop appimage run bin deb rpm snap flatpakref ' +
    'pl pm rb php lua tcl r'
  ).split(' ')
)

/** The last part of a path, split at either separator so a Windows path is judged the same anywhere. */
const baseName = (path: string): string =>
  path
    .replace(/[\\/]+$/, '')
    .split(/[\\/]/)
    .pop() ?? ''

/** The extension the OS would go by: lower case, with Windows' ignored trailing dots and spaces dropped. */
function osExtension(path: string): string {
  const name = baseName(path)
    .replace(/[. ]+$/, '')
    .toLowerCase()
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1) : ''
}

/** Whether the name alone says the OS may run it (or follow it) when opened. */
export function isExecutableType(path: string): boolean {
  // "report.json:evil.py" names an alternate data stream on NTFS: never guess what such a name opens as.
  if (baseName(path).includes(':')) return true
  return EXECUTABLE_EXTENSIONS.has(osExtension(path))
}

type UnsafeCode = 'unsafeScript' | 'unsafeNotFile' | 'unsafeNoExtension' | 'unsafeExecutable'

export class UnsafeToOpenError extends Error {
  readonly explanation: ErrorMessage
  constructor(path: string, reason: string, code: UnsafeCode) {
    super(`Stepwise does not hand "${path}" to the system to open: ${reason}. Use the viewer or "Open in editor" instead.`)
    this.name = 'UnsafeToOpenError'
    this.explanation = errorMessage(code, { path })
  }
}

/**
 * Throws unless the OS open verb may be used on this path, given what is on disk: a folder (not an app
 * bundle), or a file of a data type with an extension that is not executable (nor marked executable).
 */
export function assertSafeToOpen(path: string, info: Pick<Stats, 'isFile' | 'isDirectory' | 'mode'>): void {
  if (isExecutableType(path)) throw new UnsafeToOpenError(path, 'it is a script or an executable type', 'unsafeScript')
  if (info.isDirectory()) return
  if (!info.isFile()) throw new UnsafeToOpenError(path, 'it is not an ordinary file', 'unsafeNotFile')
  if (!osExtension(path)) throw new UnsafeToOpenError(path, 'a file without an extension may be run by the system', 'unsafeNoExtension')
  if (process.platform !== 'win32' && (info.mode & 0o111) !== 0)
    throw new UnsafeToOpenError(path, 'the file is marked executable', 'unsafeExecutable')
}
