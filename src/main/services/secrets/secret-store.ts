// The secrets of one database, shared by the app and the CLI. Where they are kept is decided once per
// process: the encrypted file beside the database when STEPWISE_SECRET_KEY is set or the file already
// exists (so secrets never end up split between two places), else the OS credential store, else a clear
// error. Never plain text.
import { existsSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { dirname, join, resolve } from 'node:path'
import { errorMessage, type ErrorMessage } from '../../../shared/error-messages'
import { envNameProblem, secretValueSchema } from '../../../shared/workflow-env'
import { secretNameExplanation, secretValueExplanation } from '../../../shared/secret-input-explanation'
import { defaultDatabasePath } from '../app-paths'
import { openEncryptedFile, SECRET_KEY_VARIABLE } from './encrypted-file'
import { openOsKeyring } from './os-keyring'
import { SecretStoreUnavailableError, type SecretBackend, type SecretBackendKind } from './secret-backend'

export const SECRETS_FILE_NAME = 'secrets.enc'

/** A secret name or value that cannot be stored; the message names what is wrong. */
export class SecretInputError extends Error {
  constructor(
    message: string,
    readonly explanation?: ErrorMessage
  ) {
    super(message)
    this.name = 'SecretInputError'
  }
}

export interface SecretStoreOptions {
  env?: NodeJS.ProcessEnv
  /** Tests: the credential store to use instead of the OS's (or a failing one). */
  openOs?: (service: string) => Promise<SecretBackend>
}

export class SecretStore {
  private chosen: Promise<SecretBackend> | null = null
  readonly filePath: string

  constructor(
    private readonly dbPath: string,
    private readonly options: SecretStoreOptions = {}
  ) {
    this.filePath = join(dirname(dbPath), SECRETS_FILE_NAME)
  }

  /** The credential store's service name: one per database, so a test or a second --db never sees the user's secrets. */
  get service(): string {
    const db = resolve(this.dbPath)
    return db === resolve(defaultDatabasePath()) ? 'Stepwise' : `Stepwise ${createHash('sha256').update(db).digest('hex').slice(0, 12)}`
  }

  async info(): Promise<{ kind: SecretBackendKind; where: string }> {
    const b = await this.backend()
    return { kind: b.kind, where: b.where }
  }

  async list(): Promise<string[]> {
    return (await this.backend()).list()
  }

  async set(name: string, value: string): Promise<void> {
    checkName(name)
    const parsed = secretValueSchema.safeParse(value)
    if (!parsed.success)
      throw new SecretInputError(
        `The value of the secret "${name}": ${parsed.error.issues[0].message}.`,
        secretValueExplanation(name, value) ?? undefined
      )
    await (await this.backend()).set(name, value)
  }

  async delete(name: string): Promise<boolean> {
    checkName(name)
    return (await this.backend()).delete(name)
  }

  /** The values of these secrets; names not set are left out (the caller names them). */
  async values(names: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>()
    if (!names.length) return found
    const b = await this.backend()
    for (const name of names) {
      const value = await b.get(name)
      if (value) found.set(name, value)
    }
    return found
  }

  private backend(): Promise<SecretBackend> {
    // A failed choice is not kept: the person may set the key or unlock the store and try again.
    this.chosen ??= this.choose().catch((err) => {
      this.chosen = null
      throw err
    })
    return this.chosen
  }

  private async choose(): Promise<SecretBackend> {
    const env = this.options.env ?? process.env
    const key = env[SECRET_KEY_VARIABLE]
    if (key !== undefined || existsSync(this.filePath)) return openEncryptedFile(this.filePath, key)
    try {
      return await (this.options.openOs ?? openOsKeyring)(this.service)
    } catch (err) {
      const why = err instanceof SecretStoreUnavailableError ? err.message : (err as Error).message
      throw new SecretStoreUnavailableError(
        `Secrets cannot be kept on this machine: ${why}. Set ${SECRET_KEY_VARIABLE} to a long random text ` +
          `(at least 16 characters) to keep them encrypted in ${this.filePath} instead.`,
        errorMessage('secretsNoStore', { file: this.filePath, variable: SECRET_KEY_VARIABLE }, why)
      )
    }
  }
}

function checkName(name: string): void {
  const problem = envNameProblem(name)
  if (problem) throw new SecretInputError(`The secret name: ${problem}.`, secretNameExplanation(name) ?? undefined)
}
