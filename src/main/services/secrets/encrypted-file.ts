// Secrets in a file beside the database, for machines without a credential store (headless Linux, CI):
// AES-256-GCM under a key derived with scrypt from STEPWISE_SECRET_KEY and the file's random salt. The
// whole map is one ciphertext, so not even the names are readable without the key; the header is bound
// to it as additional data. Written to a temporary file and renamed, so a crash never leaves half a file.
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto'
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { errorMessage } from '../../../shared/error-messages'
import { SecretStoreUnavailableError, type SecretBackend } from './secret-backend'

export const SECRET_KEY_VARIABLE = 'STEPWISE_SECRET_KEY'
export const MIN_KEY_CHARS = 16
const FORMAT = 'stepwise-secrets'
const KDF = { name: 'scrypt', N: 32768, r: 8, p: 1 } as const

interface FileHeader {
  format: typeof FORMAT
  version: 1
  kdf: typeof KDF
  salt: string
}
interface SecretFile extends FileHeader {
  iv: string
  tag: string
  data: string
}

function scrypt(password: string, salt: Buffer): Promise<Buffer> {
  const options: ScryptOptions = { N: KDF.N, r: KDF.r, p: KDF.p, maxmem: 128 * KDF.N * KDF.r * 2 }
  return new Promise((resolve, reject) => scryptCb(password, salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))))
}

const headerOf = (f: FileHeader): Buffer => Buffer.from(JSON.stringify([f.format, f.version, f.kdf, f.salt]), 'utf8')

export function openEncryptedFile(path: string, password: string | undefined): SecretBackend {
  if (!password)
    throw new SecretStoreUnavailableError(
      `Secrets are kept in the encrypted file ${path}; set ${SECRET_KEY_VARIABLE} to the key it was made with.`,
      errorMessage('secretsFileNeedsKey', { file: path, variable: SECRET_KEY_VARIABLE })
    )
  if (password.length < MIN_KEY_CHARS)
    throw new SecretStoreUnavailableError(
      `${SECRET_KEY_VARIABLE} must be at least ${MIN_KEY_CHARS} characters long (a long random text)`,
      errorMessage('secretsKeyTooShort', { variable: SECRET_KEY_VARIABLE, min: String(MIN_KEY_CHARS) })
    )
  let derived: { salt: string; key: Buffer } | null = null
  const keyFor = async (salt: string): Promise<Buffer> => {
    if (derived?.salt !== salt) derived = { salt, key: await scrypt(password, Buffer.from(salt, 'base64')) }
    return derived.key
  }

  const read = async (): Promise<{ header: FileHeader; secrets: Record<string, string> }> => {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      return { header: { format: FORMAT, version: 1, kdf: KDF, salt: randomBytes(16).toString('base64') }, secrets: Object.create(null) }
    }
    let file: SecretFile
    try {
      file = JSON.parse(text) as SecretFile
      if (file.format !== FORMAT || file.version !== 1) throw new Error('not a Stepwise secrets file')
    } catch (err) {
      const why = (err as Error).message
      throw new SecretStoreUnavailableError(
        `${path} cannot be read as Stepwise's secrets (${why})`,
        errorMessage('secretsFileUnreadable', { file: path }, why)
      )
    }
    const header: FileHeader = { format: FORMAT, version: 1, kdf: KDF, salt: file.salt }
    try {
      const decipher = createDecipheriv('aes-256-gcm', await keyFor(file.salt), Buffer.from(file.iv, 'base64'))
      decipher.setAAD(headerOf(header))
      decipher.setAuthTag(Buffer.from(file.tag, 'base64'))
      const plain = Buffer.concat([decipher.update(Buffer.from(file.data, 'base64')), decipher.final()]).toString('utf8')
      return { header, secrets: Object.assign(Object.create(null), JSON.parse(plain) as Record<string, string>) }
    } catch {
      throw new SecretStoreUnavailableError(
        `${SECRET_KEY_VARIABLE} does not open ${path}: it was encrypted with another key (or changed since)`,
        errorMessage('secretsWrongKey', { file: path, variable: SECRET_KEY_VARIABLE })
      )
    }
  }

  const write = async (header: FileHeader, secrets: Record<string, string>): Promise<void> => {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', await keyFor(header.salt), iv)
    cipher.setAAD(headerOf(header))
    const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()])
    const file: SecretFile = {
      ...header,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64')
    }
    await mkdir(dirname(path), { recursive: true })
    const temp = `${path}.${process.pid}.tmp`
    await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`, { encoding: 'utf8', mode: 0o600 })
    await rename(temp, path)
  }

  return {
    kind: 'file',
    where: path,
    async list() {
      return Object.keys((await read()).secrets).sort()
    },
    async get(name) {
      return (await read()).secrets[name] ?? null
    },
    async set(name, value) {
      const { header, secrets } = await read()
      secrets[name] = value
      await write(header, secrets)
    },
    async delete(name) {
      const { header, secrets } = await read()
      if (!(name in secrets)) return false
      delete secrets[name]
      await write(header, secrets)
      return true
    }
  }
}
