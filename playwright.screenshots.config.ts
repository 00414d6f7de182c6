// `npm run screenshots`: only test/e2e/screenshots.spec.ts, which writes docs/screenshots. Kept out of
// `npm test` so CI never rewrites the docs. One project per language of the window.
import { defineConfig } from '@playwright/test'
import base from './playwright.config'

export default defineConfig({
  ...base,
  testIgnore: [],
  testMatch: 'screenshots.spec.ts',
  projects: [
    { name: 'en', use: { locale: 'en-US' } },
    { name: 'ko', use: { locale: 'ko-KR' } }
  ]
})
