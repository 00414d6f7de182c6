// Packages per workflow: prepared virtual environments, where packages come from, pip's errors in words.
export { EnvironmentError, EnvironmentManager, environmentKey, venvPython, type PreparedEnvironment } from './prepare'
export { findUv } from './uv'
export type { PackageSources } from './package-sources'
