// scripts/find-browser.cjs picks the browser the end-to-end tests run in. Here it searches fake machines
// (an OS, its environment, the files that exist), so each OS's install places are checked from Linux; the
// command itself runs for real to show what a person sees when no browser is there.
import { spawnSync } from 'node:child_process'
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { browserCandidates, findBrowser } from '../scripts/find-browser.cjs'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { REPO_ROOT } from './helpers/workflows'

afterAll(cleanupTempDirs)

const machine = (platform: NodeJS.Platform, env: Record<string, string>, files: string[]) =>
  findBrowser({ platform, env, isExecutable: (path) => files.includes(path) })

const WINDOWS_ENV = {
  PROGRAMFILES: 'C:\\Program Files',
  'PROGRAMFILES(X86)': 'C:\\Program Files (x86)',
  LOCALAPPDATA: 'C:\\Users\\김철수\\AppData\\Local'
}

describe('find-browser', () => {
  it('takes CHROMIUM_PATH first, even when a system browser is there too', () => {
    const found = machine('linux', { CHROMIUM_PATH: '/opt/my chrome/chrome', PATH: '/usr/bin' }, [
      '/opt/my chrome/chrome',
      '/usr/bin/chromium'
    ])
    expect(found).toEqual({ path: '/opt/my chrome/chrome' })
  })

  it('refuses a CHROMIUM_PATH that is not a browser, naming it, instead of quietly using another one', () => {
    const found = machine('linux', { CHROMIUM_PATH: '/opt/typo/chrome', PATH: '/usr/bin' }, ['/usr/bin/chromium'])
    expect(found.path).toBeUndefined()
    expect(found.error).toContain('CHROMIUM_PATH is set to "/opt/typo/chrome", which is not an executable file')
  })

  it('Linux: Debian Chromium, then Ubuntu chromium-browser, then Chrome, then Edge, also from PATH', () => {
    expect(machine('linux', { PATH: '/usr/bin' }, ['/usr/bin/chromium', '/usr/bin/google-chrome'])).toEqual({ path: '/usr/bin/chromium' })
    expect(machine('linux', { PATH: '/usr/bin' }, ['/usr/bin/chromium-browser'])).toEqual({ path: '/usr/bin/chromium-browser' })
    expect(machine('linux', { PATH: '/usr/bin' }, ['/usr/bin/google-chrome-stable'])).toEqual({ path: '/usr/bin/google-chrome-stable' })
    expect(machine('linux', { PATH: '/usr/bin' }, ['/usr/bin/microsoft-edge'])).toEqual({ path: '/usr/bin/microsoft-edge' })
    expect(machine('linux', { PATH: '/usr/local/bin:/home/me/bin' }, ['/home/me/bin/google-chrome'])).toEqual({
      path: '/home/me/bin/google-chrome'
    })
  })

  it('Windows: Chrome in either Program Files or per user, then Edge', () => {
    expect(machine('win32', WINDOWS_ENV, ['C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe'])).toEqual({
      path: 'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe'
    })
    expect(machine('win32', WINDOWS_ENV, ['C:\\Users\\김철수\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe'])).toEqual({
      path: 'C:\\Users\\김철수\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe'
    })
    expect(machine('win32', WINDOWS_ENV, ['C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe'])).toEqual({
      path: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe'
    })
    // Without the variables (a stripped environment) the standard folders are still tried.
    expect(machine('win32', {}, ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'])).toEqual({
      path: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'
    })
  })

  it('macOS: Chrome, Chromium or Edge in /Applications or ~/Applications', () => {
    expect(machine('darwin', { HOME: '/Users/me' }, ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'])).toEqual({
      path: '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'
    })
    expect(machine('darwin', { HOME: '/Users/me' }, ['/Applications/Chromium.app/Contents/MacOS/Chromium'])).toEqual({
      path: '/Applications/Chromium.app/Contents/MacOS/Chromium'
    })
    expect(machine('darwin', { HOME: '/Users/me' }, ['/Users/me/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge'])).toEqual({
      path: '/Users/me/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge'
    })
  })

  it('a machine without any browser gets one paragraph saying what to install on that OS', () => {
    const linux = machine('linux', { PATH: '/usr/bin' }, [])
    expect(linux.error).toContain('sudo apt-get install chromium')
    expect(linux.error).toContain('CHROMIUM_PATH=')
    expect(linux.error).not.toContain('\n')
    expect(machine('win32', WINDOWS_ENV, []).error).toMatch(/Google Chrome.*Microsoft Edge.*CHROMIUM_PATH=C:\\/)
    expect(machine('darwin', { HOME: '/Users/me' }, []).error).toMatch(/Google Chrome.*\/Applications.*CHROMIUM_PATH=/)
    // Each OS's list holds only that OS's places.
    expect(browserCandidates('win32', WINDOWS_ENV).every((p) => p.endsWith('.exe'))).toBe(true)
    expect(browserCandidates('darwin', {}).every((p) => p.includes('.app/Contents/MacOS/'))).toBe(true)
  })

  it('the real file check: an executable file is a browser; a plain file or a folder is not', () => {
    const dir = makeTempDir('stepwise-browser-')
    const exe = join(dir, 'chrome')
    const plain = join(dir, 'notes.txt')
    writeFileSync(exe, '#!/bin/sh\n')
    chmodSync(exe, 0o755)
    writeFileSync(plain, 'not a browser')
    chmodSync(plain, 0o644)
    expect(findBrowser({ platform: 'linux', env: { CHROMIUM_PATH: exe } })).toEqual({ path: exe })
    expect(findBrowser({ platform: 'linux', env: { CHROMIUM_PATH: plain } }).error).toContain(plain)
    expect(findBrowser({ platform: 'linux', env: { CHROMIUM_PATH: dir } }).error).toContain(dir)
  })

  it('the command prints the path, or the paragraph and exit code 1 at once', () => {
    const script = join(REPO_ROOT, 'scripts', 'find-browser.cjs')
    const dir = makeTempDir('stepwise-browser-')
    const exe = join(dir, 'chromium')
    writeFileSync(exe, '#!/bin/sh\n')
    chmodSync(exe, 0o755)
    const ok = spawnSync(process.execPath, [script], { env: { ...process.env, CHROMIUM_PATH: exe }, encoding: 'utf8' })
    expect(ok.status).toBe(0)
    expect(ok.stdout.trim()).toBe(exe)
    const missing = join(dir, 'no-such-browser')
    const bad = spawnSync(process.execPath, [script], { env: { ...process.env, CHROMIUM_PATH: missing }, encoding: 'utf8' })
    expect(bad.status).toBe(1)
    expect(bad.stdout).toBe('')
    expect(bad.stderr.trim()).toMatch(
      new RegExp(`^The end-to-end tests need a Chromium-based browser\\. CHROMIUM_PATH is set to ".*no-such-browser"`)
    )
  })
})
