// `npm run dist`: electron-builder with electron-builder.yml, plus the update feed named at build time.
// Nothing is uploaded (publish: never); the feed's files (latest.yml and the installers) are put there by hand or by CI.
import { createRequire } from 'node:module'
import { distConfig, signingPlan } from './dist-options.mjs'

const require = createRequire(import.meta.url)
const { build } = require('electron-builder')

const { config, feed } = distConfig(process.env)
const signing = signingPlan(process.env)
console.log(`Update feed: ${feed ?? 'none (the app will not look for updates)'}`)
console.log(
  `Signing: Windows ${signing.windows ? 'yes' : 'skipped (no WIN_CSC_LINK/CSC_LINK)'}, macOS ${signing.macos ? 'yes' : 'skipped (no CSC_LINK)'}, notarization ${signing.notarize ? 'yes' : 'skipped (no APPLE_ID / APPLE_API_KEY)'}`
)
await build({ publish: 'never', config })
