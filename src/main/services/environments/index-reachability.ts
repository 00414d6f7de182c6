// Whether the package index answers at all, in a few seconds: pip facing an unreachable index (an offline
// office PC, a firewall) retries for minutes before it says so. With a proxy, the proxy is what must answer.
import { connect } from 'node:net'
import type { PackageSources } from './package-sources'

const DEFAULT_INDEX = 'https://pypi.org/simple'

export type Reachability = (host: string, port: number, timeoutMs: number) => Promise<boolean>

export const tcpReachable: Reachability = (host, port, timeoutMs) =>
  new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })

export async function indexReachable(s: PackageSources, reach: Reachability = tcpReachable, timeoutMs = 3000): Promise<boolean> {
  if (s.package_offline) return false
  const target = new URL(s.package_proxy ?? s.package_index_url ?? DEFAULT_INDEX)
  const port = Number(target.port) || (target.protocol === 'http:' ? 80 : 443)
  return reach(target.hostname, port, timeoutMs)
}
