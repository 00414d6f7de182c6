// What `npm run dist` adds to electron-builder.yml from the build machine's environment: the update feed.
// The feed is set at build time (STEPWISE_UPDATE_URL); without it the app is built with no app-update.yml
// and never looks for updates. Signing and notarization need nothing here: electron-builder signs when
// CSC_LINK / WIN_CSC_LINK are set and notarizes when APPLE_ID (or APPLE_API_KEY) is, and skips both otherwise.

/**
 * The configuration merged over electron-builder.yml. Only an https feed is taken: an update over plain
 * http could be swapped on the way.
 */
export function distConfig(env) {
  const raw = (env.STEPWISE_UPDATE_URL ?? '').trim()
  if (!raw) return { config: {}, feed: null }
  let url
  try {
    url = new URL(raw)
  } catch {
    throw new Error(`STEPWISE_UPDATE_URL is not a URL: "${raw}"`)
  }
  if (url.protocol !== 'https:') throw new Error(`STEPWISE_UPDATE_URL must be an https:// address, not "${raw}"`)
  return { config: { publish: { provider: 'generic', url: url.href } }, feed: url.href }
}

/** Which of the signing credentials electron-builder will find, for the build's own log (never their values). */
export function signingPlan(env) {
  return {
    windows: !!(env.WIN_CSC_LINK || env.CSC_LINK),
    macos: !!env.CSC_LINK || !!env.CSC_NAME,
    notarize: !!(env.APPLE_ID || env.APPLE_API_KEY || env.APPLE_KEYCHAIN_PROFILE)
  }
}
