// The OS credential store (Windows Credential Manager, macOS Keychain, the Secret Service on Linux)
// through @napi-rs/keyring. Loaded only when asked for: a machine without its native binary still runs
// every workflow that uses no secret. On Linux only the Secret Service counts: the kernel keyring the
// binding would fall back to forgets everything at logout, which would lose secrets without a word.
import { SecretStoreUnavailableError, type SecretBackend } from './secret-backend'

type Keyring = typeof import('@napi-rs/keyring')

const STORE_NAMES: Partial<Record<NodeJS.Platform, string>> = {
  win32: 'Windows Credential Manager',
  darwin: 'macOS Keychain',
  linux: 'the Secret Service (GNOME Keyring, KWallet)'
}

export async function openOsKeyring(
  service: string,
  load: () => Promise<Keyring> = () => import('@napi-rs/keyring')
): Promise<SecretBackend> {
  let keyring: Keyring
  try {
    keyring = await load()
  } catch (err) {
    throw new SecretStoreUnavailableError(`the credential store binding could not be loaded (${(err as Error).message})`)
  }
  const options = process.platform === 'linux' ? { linux: { store: 'secret-service' as const } } : undefined
  const entry = (name: string) => new keyring.AsyncEntry(service, name, options)
  const backend: SecretBackend = {
    kind: 'os',
    where: STORE_NAMES[process.platform] ?? 'the credential store',
    async list() {
      const found = await keyring.findCredentialsAsync(service)
      return [...new Set(found.map((c) => c.account))].sort()
    },
    get: (name) => entry(name).getPassword(),
    set: (name, value) => entry(name).setPassword(value),
    delete: (name) => entry(name).deleteCredential()
  }
  try {
    // Listing is what fails where there is no store (no D-Bus session on a headless Linux machine).
    await backend.list()
  } catch (err) {
    throw new SecretStoreUnavailableError(`${backend.where} is not available here (${(err as Error).message})`)
  }
  return backend
}
