// The window's page comes from app://stepwise/, a privileged scheme of our own, never file://: a file://
// page shares its origin with every file on disk, an app:// page has an origin of its own, so the CSP's
// 'self' and the binder's sender check mean exactly our bundle. The handler serves only files inside
// out/renderer. Only types are taken from electron, so tests can pass a fake protocol module.
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'
import type { Protocol } from 'electron'

export const APP_SCHEME = 'app'
export const APP_HOST = 'stepwise'
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8'
}

/** Must run before the app is ready: Chromium fixes a scheme's privileges at startup. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])
}

/** Whether a URL is a page of ours: app://stepwise/... (Node's URL gives a custom scheme no origin). */
export function isAppSchemeUrl(url: string): boolean {
  try {
    const u = new URL(url)
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST
  } catch {
    return false
  }
}

/** The file under `root` an app:// URL names, or null for anything else (another host, `..`, a NUL). */
export function appFileFor(url: string, root: string): string | null {
  if (!isAppSchemeUrl(url)) return null
  let path: string
  try {
    path = decodeURIComponent(new URL(url).pathname)
  } catch {
    return null
  }
  if (path.includes('\0')) return null
  if (path === '/' || path === '') path = '/index.html'
  const base = resolve(root)
  // Decoding may bring back "..", "%5c.." (a Windows separator) or an absolute path: resolve, then insist.
  const file = resolve(base, `.${path.startsWith('/') ? '' : '/'}${path}`)
  return file.startsWith(base + sep) ? file : null
}

/** What index.html holds where a nonce belongs: in its CSP and in the meta tag the renderer reads. */
export const CSP_NONCE_PLACEHOLDER = 'STEPWISE_CSP_NONCE'

/**
 * The page with a fresh nonce for its <style> elements (CodeMirror's themes): the CSP allows styles from
 * our files and those elements only, never 'unsafe-inline', and no earlier load's nonce works again.
 */
export function withFreshNonce(html: string): string {
  return html.replaceAll(CSP_NONCE_PLACEHOLDER, randomBytes(18).toString('base64'))
}

export function mimeTypeOf(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/** Answers an app:// request from `root`; what it cannot serve is a plain 404, never a file outside. */
export async function serveAppRequest(request: { url: string; method: string }, root: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 })
  const file = appFileFor(request.url, root)
  const body = file ? await readFile(file).catch(() => null) : null
  if (!file || !body) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } })
  const isPage = extname(file).toLowerCase() === '.html'
  const content = isPage ? Buffer.from(withFreshNonce(body.toString('utf8'))) : body
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(content), {
    status: 200,
    headers: { 'content-type': mimeTypeOf(file), 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' }
  })
}

export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, root))
}
