// The contract's secrets:* channels. A value goes into the store and never comes back out through them.
import { explanationFields } from '../../../shared/error-messages'
import type { RequestHandlers } from '../request-handlers'
import { SecretStoreUnavailableError } from './secret-backend'
import type { SecretStore } from './secret-store'

type SecretChannels = 'secrets:list' | 'secrets:set' | 'secrets:delete'

export function createSecretHandlers(secrets: SecretStore): Pick<RequestHandlers, SecretChannels> {
  return {
    'secrets:list': async () => {
      try {
        const [info, names] = [await secrets.info(), await secrets.list()]
        return { available: true, ...info, names }
      } catch (err) {
        if (err instanceof SecretStoreUnavailableError) return { available: false, message: err.message, ...explanationFields(err) }
        throw err
      }
    },
    'secrets:set': async ({ name, value }) => {
      await secrets.set(name, value)
      return { names: await secrets.list() }
    },
    'secrets:delete': async ({ name }) => {
      const deleted = await secrets.delete(name)
      return { deleted, names: await secrets.list() }
    }
  }
}
