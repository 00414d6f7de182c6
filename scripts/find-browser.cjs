#!/usr/bin/env node
// The end-to-end tests drive a Chromium-family browser already on the machine (Playwright's own download is
// blocked on our build machines and heavy on office PCs). This finds one the way a person would look for it:
// CHROMIUM_PATH first, then the usual install places of Chromium, Chrome and Edge on this OS. When there is
// none it says, in one paragraph, what to install, so that `npm test` stops at once instead of after the
// unit tests with a launch error about a missing file.
// CommonJS because Playwright loads its config as CommonJS and mistranspiles an imported .mjs.
// `node scripts/find-browser.cjs` prints the browser's path, or the paragraph on stderr and exits 1.
const { accessSync, constants, statSync } = require('node:fs')
const { posix, win32 } = require('node:path')

const LINUX_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable']

const MAC_APPS = [
  'Google Chrome.app/Contents/MacOS/Google Chrome',
  'Chromium.app/Contents/MacOS/Chromium',
  'Microsoft Edge.app/Contents/MacOS/Microsoft Edge'
]

const WINDOWS_APPS = [
  'Google\\Chrome\\Application\\chrome.exe',
  'Microsoft\\Edge\\Application\\msedge.exe',
  'Chromium\\Application\\chrome.exe'
]

/** Where a browser may be, in the order they are tried (CHROMIUM_PATH is not among them: it is not a guess). */
function browserCandidates(platform, env) {
  if (platform === 'win32') {
    // Chrome installs per machine (Program Files, either bitness) or per user (%LOCALAPPDATA%); Edge ships with Windows.
    const roots = [env.PROGRAMFILES ?? env.ProgramFiles, env['PROGRAMFILES(X86)'] ?? env['ProgramFiles(x86)'], env.LOCALAPPDATA]
      .filter(Boolean)
      .concat(['C:\\Program Files', 'C:\\Program Files (x86)'])
    const unique = [...new Set(roots)]
    return WINDOWS_APPS.flatMap((app) => unique.map((root) => win32.join(root, app)))
  }
  if (platform === 'darwin') {
    const roots = ['/Applications', ...(env.HOME ? [posix.join(env.HOME, 'Applications')] : [])]
    return MAC_APPS.flatMap((app) => roots.map((root) => posix.join(root, app)))
  }
  const dirs = [...new Set(['/usr/bin', ...(env.PATH ?? '').split(':').filter(Boolean), '/snap/bin'])]
  return LINUX_NAMES.flatMap((name) => dirs.map((dir) => posix.join(dir, name)))
}

function isExecutableFile(path) {
  try {
    if (!statSync(path).isFile()) return false
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** What to do about a missing browser, for this OS: one paragraph a person can act on. */
function missingBrowserMessage(platform, env) {
  const install =
    platform === 'win32'
      ? 'install Google Chrome (https://www.google.com/chrome/) or Microsoft Edge, or set CHROMIUM_PATH=C:\\path\\to\\chrome.exe'
      : platform === 'darwin'
        ? 'install Google Chrome (https://www.google.com/chrome/) into /Applications, or set CHROMIUM_PATH=/path/to/chrome'
        : 'install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`; Fedora: `sudo dnf install chromium`), or set CHROMIUM_PATH=/path/to/chrome'
  const wrongPath = env.CHROMIUM_PATH
    ? `CHROMIUM_PATH is set to "${env.CHROMIUM_PATH}", which is not an executable file. `
    : 'No Chromium, Google Chrome or Microsoft Edge was found (CHROMIUM_PATH is not set). '
  return `The end-to-end tests need a Chromium-based browser. ${wrongPath}` + `To run them, ${install}, then run \`npm test\` again.`
}

/**
 * The browser to run the end-to-end tests in: `{ path }`, or `{ error }` saying what to install.
 * A CHROMIUM_PATH that does not point at a browser is an error, not a hint to fall back on: the person
 * who set it wants that browser.
 */
function findBrowser({ platform = process.platform, env = process.env, isExecutable = isExecutableFile } = {}) {
  if (env.CHROMIUM_PATH) {
    return isExecutable(env.CHROMIUM_PATH) ? { path: env.CHROMIUM_PATH } : { error: missingBrowserMessage(platform, env) }
  }
  const path = browserCandidates(platform, env).find((candidate) => isExecutable(candidate))
  return path ? { path } : { error: missingBrowserMessage(platform, env) }
}

/** For playwright.config.ts: the path, or the paragraph on stderr and exit 1 (a stack trace would bury it). */
function browserPathOrExit() {
  const found = findBrowser()
  if (found.path) return found.path
  console.error(`\n${found.error}\n`)
  process.exit(1)
}

module.exports = { browserCandidates, missingBrowserMessage, findBrowser, browserPathOrExit }

if (require.main === module) console.log(browserPathOrExit())
