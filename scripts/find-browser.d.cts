// Types of find-browser.cjs, for playwright.config.ts and its unit test.
export interface BrowserSearch {
  platform?: NodeJS.Platform
  env?: Record<string, string | undefined>
  isExecutable?: (path: string) => boolean
}

export function browserCandidates(platform: NodeJS.Platform, env: Record<string, string | undefined>): string[]
export function missingBrowserMessage(platform: NodeJS.Platform, env: Record<string, string | undefined>): string
export function findBrowser(search?: BrowserSearch): { path: string; error?: undefined } | { path?: undefined; error: string }
export function browserPathOrExit(): string
