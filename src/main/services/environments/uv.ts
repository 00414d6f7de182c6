// uv, when it is on the machine: it makes environments in a fraction of pip's time and reads the same options.
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'

export function findUv(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  if (env.STEPWISE_NO_UV) return null
  const name = platform === 'win32' ? 'uv.exe' : 'uv'
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name)
  }
  return null
}
