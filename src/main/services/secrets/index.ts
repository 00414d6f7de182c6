// The secrets room (issue 12 §4): where secret values are kept, and how they are kept out of every text
// Stepwise stores or shows.
export { SecretStore, SecretInputError, SECRETS_FILE_NAME } from './secret-store'
export { SecretStoreUnavailableError, type SecretBackend, type SecretBackendKind } from './secret-backend'
export { SECRET_KEY_VARIABLE, MIN_KEY_CHARS } from './encrypted-file'
export { createRedactor, REDACTED, type Redactor, type StreamRedactor } from './redactor'
