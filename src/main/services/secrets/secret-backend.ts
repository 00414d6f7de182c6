// What a place that keeps secrets offers; the OS credential store and the encrypted file both do this.
import type { ErrorMessage } from '../../../shared/error-messages'

export type SecretBackendKind = 'os' | 'file'

export interface SecretBackend {
  kind: SecretBackendKind
  /** Where the secrets are, for people: "Windows Credential Manager", or the encrypted file's path. */
  where: string
  list(): Promise<string[]>
  get(name: string): Promise<string | null>
  set(name: string, value: string): Promise<void>
  delete(name: string): Promise<boolean>
}

/** No place to keep secrets here (no credential store and no STEPWISE_SECRET_KEY), or the file cannot be opened. */
export class SecretStoreUnavailableError extends Error {
  constructor(
    message: string,
    /** The window's form of the refusal; the message stays English for the CLI. */
    readonly explanation?: ErrorMessage
  ) {
    super(message)
    this.name = 'SecretStoreUnavailableError'
  }
}
