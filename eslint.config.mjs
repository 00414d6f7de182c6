// Lint for the whole repository (npm run lint, part of npm test): JavaScript and TypeScript recommended
// rules, the layer rules of DEVELOPERS.md, and Prettier's formatting checked separately (format:check).
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import layers from './eslint/layer-rules.mjs'

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'stepwise-layers': layers },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'stepwise-layers/allowed-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }]
    }
  },
  {
    files: ['src/renderer/**', 'test/bridge/client/**'],
    languageOptions: { globals: { ...globals.browser } }
  },
  {
    // Shared code runs in Node and in the window alike: it may use neither's globals.
    files: ['src/shared/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', 'require', '__dirname', 'global'].map((name) => ({
          name,
          message: `Layer rule "shared": src/shared runs in every process, so it may not use the global "${name}".`
        }))
      ]
    }
  },
  {
    // Tests read JSON answers of the CLI and the bridge whose shape they check at run time with expect.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  prettier
)
