// Where packages come from, as pip and uv arguments, from the settings: a company index, a folder of wheels
// (the offline case), a proxy and a CA bundle. Each value is one argument, never a shell string.
import type { Settings } from '../../../shared/model'

export type PackageSources = Pick<
  Settings,
  'package_index_url' | 'package_extra_index_url' | 'package_find_links' | 'package_offline' | 'package_proxy' | 'package_ca_bundle'
>

export interface InstallPlan {
  /** pip install options (uv pip takes the same names). */
  args: string[]
  /** What the person should read when it fails: which sources were tried. */
  sources: string
  /** The same places as bare addresses and folders, for a sentence in another language. */
  locations: string[]
}

/**
 * `indexReachable` false (or offline set) means: do not ask the index at all, install only from the wheel
 * folder; pip would otherwise retry an unreachable index for minutes.
 */
export function installArgs(s: PackageSources, indexReachable: boolean): InstallPlan {
  const args: string[] = []
  const offline = s.package_offline || !indexReachable
  if (s.package_find_links) args.push('--find-links', s.package_find_links)
  if (offline) args.push('--no-index')
  else {
    if (s.package_index_url) args.push('--index-url', s.package_index_url)
    if (s.package_extra_index_url) args.push('--extra-index-url', s.package_extra_index_url)
  }
  const sources = [
    offline ? null : (s.package_index_url ?? 'https://pypi.org/simple'),
    offline || !s.package_extra_index_url ? null : s.package_extra_index_url,
    s.package_find_links ? `the wheel folder ${s.package_find_links}` : null
  ].filter(Boolean)
  const locations = [
    offline ? null : (s.package_index_url ?? 'https://pypi.org/simple'),
    offline ? null : s.package_extra_index_url,
    s.package_find_links
  ].filter((l): l is string => !!l)
  return { args, sources: sources.join(' and ') || 'nowhere (no index and no wheel folder)', locations }
}

/** pip's own options for a network that needs them: a proxy, a CA bundle, and no endless retries. */
export function pipNetworkArgs(s: PackageSources): string[] {
  const args = ['--retries', '1', '--timeout', '15', '--disable-pip-version-check', '--no-input']
  if (s.package_proxy) args.push('--proxy', s.package_proxy)
  if (s.package_ca_bundle) args.push('--cert', s.package_ca_bundle)
  return args
}

/** The same for uv, which reads them from its environment. */
export function uvNetworkEnv(s: PackageSources): Record<string, string> {
  const env: Record<string, string> = { UV_HTTP_TIMEOUT: '15' }
  if (s.package_proxy) Object.assign(env, { HTTPS_PROXY: s.package_proxy, HTTP_PROXY: s.package_proxy })
  if (s.package_ca_bundle) env.SSL_CERT_FILE = s.package_ca_bundle
  return env
}
