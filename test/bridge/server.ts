// The test bridge: hosts the real main-process services (a temp SQLite file, real Python) on 127.0.0.1
// and serves the IPC contract over a WebSocket, so the real renderer can be driven in a browser where
// Electron cannot be downloaded. It never enters the Electron build.
//   npm run build:bridge && node out/bridge-server/server.cjs [--port 4174] [--static out/bridge]
// Test-only endpoints (same origin): POST /__test/reset, POST /__test/dialog {answers: [...]},
// GET /__test/shell-calls, GET /__test/state, POST /__test/open-file {path} (as a double-clicked file),
// POST /__test/update-ready {version} (as electron-updater's update-downloaded), GET /__test/restarts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { parseArgs } from 'node:util'
import { WebSocketServer, type WebSocket } from 'ws'
import {
  createRequestHandlers,
  dispatchRequest,
  type DesktopPlatform,
  type RequestHandlers
} from '../../src/main/services/request-handlers'
import { openServices, type Services } from '../../src/main/services/services'
import { OpenedFiles } from '../../src/main/services/shell-inbox/opened-files'
import { UpdateState } from '../../src/main/services/shell-inbox/update-state'
import { CSP_NONCE_PLACEHOLDER, withFreshNonce } from '../../src/main/app/app-protocol'

const { values } = parseArgs({
  options: { port: { type: 'string', default: '4174' }, static: { type: 'string', default: 'out/bridge' } },
  strict: true
})
const port = Number(values.port)
// Secrets in the encrypted file beside each fresh test database: never the developer's own credential store.
process.env.STEPWISE_SECRET_KEY ??= 'stepwise-test-bridge-key-0123456789'
const staticRoot = resolve(values.static!)
const origin = `http://127.0.0.1:${port}`

/** Answers the next dialogs in order; a test queues them before clicking what opens one. */
let dialogAnswers: (string | null)[] = []
let shellCalls: { kind: 'openPath' | 'showItemInFolder' | 'openInEditor'; path: string }[] = []
let locale = 'en-US'

const platform: DesktopPlatform = {
  version: '0.0.0-bridge',
  locale: () => locale,
  pickOpenFile: async () => dialogAnswers.shift() ?? null,
  pickSaveFile: async () => dialogAnswers.shift() ?? null,
  pickFolder: async () => dialogAnswers.shift() ?? null,
  openPath: async (path) => {
    shellCalls.push({ kind: 'openPath', path })
  },
  showItemInFolder: (path) => {
    shellCalls.push({ kind: 'showItemInFolder', path })
  },
  openInEditor: async (path) => {
    shellCalls.push({ kind: 'openInEditor', path })
    return 'VS Code'
  }
}

let dataDir = ''
let workDir = ''
let services: Services
let handlers: RequestHandlers
let openedFiles: OpenedFiles
let updates: UpdateState
/** How many times the window asked to restart into an update (the bridge only counts them). */
let restarts = 0
let detachEvents: () => void = () => undefined
const sockets = new Set<WebSocket>()

function openFresh(): void {
  dataDir = mkdtempSync(join(tmpdir(), 'stepwise-bridge-'))
  workDir = join(dataDir, '작업 폴더')
  mkdirSync(workDir)
  services = openServices({ dbPath: join(dataDir, 'stepwise.db'), tempRoot: dataDir })
  services.store.updateSettings({ default_working_directory: workDir })
  openedFiles = new OpenedFiles(services.store)
  updates = new UpdateState()
  restarts = 0
  handlers = createRequestHandlers({
    store: services.store,
    runner: services.runner,
    secrets: services.secrets,
    platform,
    openedFiles,
    updates,
    debugger: services.debugger
  })
  const detachRuns = services.runner.on(({ channel, payload }) => broadcast(channel, payload))
  const detachDebug = services.debugger.on((event) => broadcast('debug:event', event))
  detachEvents = () => {
    detachRuns()
    detachDebug()
  }
}

function broadcast(channel: string, payload: unknown): void {
  const text = JSON.stringify({ event: channel, payload })
  for (const s of sockets) s.send(text)
}

async function reset(body: { locale?: string }): Promise<void> {
  detachEvents()
  await services.close()
  rmSync(dataDir, { recursive: true, force: true })
  dialogAnswers = []
  shellCalls = []
  locale = body.locale ?? 'en-US'
  openFresh()
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2'
}
// The policy the Electron window's page declares in its <meta>, read from the built page so the two
// cannot drift apart; sent as a header as well.
function pagePolicy(): string {
  const html = readFileSync(join(staticRoot, 'index.html'), 'utf8')
  const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
  if (!policy) throw new Error(`${join(staticRoot, 'index.html')} declares no Content-Security-Policy`)
  return policy
}
const CSP = pagePolicy()

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((ok, fail) => {
    let data = ''
    req.on('data', (c) => (data += c))
    req.on('end', () => {
      try {
        ok(data ? JSON.parse(data) : {})
      } catch (err) {
        fail(err)
      }
    })
  })
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(value))
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', origin)
  try {
    if (url.pathname.startsWith('/__test/')) {
      // Only the tests (no Origin header) or the bridge's own pages may drive these.
      if (req.headers.origin !== undefined && req.headers.origin !== origin) return sendJson(res, 403, { error: 'foreign origin' })
      if (req.method === 'POST' && url.pathname === '/__test/reset') {
        await reset((await readBody(req)) as { locale?: string })
        return sendJson(res, 200, { dataDir, workDir })
      }
      if (req.method === 'POST' && url.pathname === '/__test/dialog') {
        dialogAnswers.push(...((await readBody(req)) as { answers: (string | null)[] }).answers)
        return sendJson(res, 200, { queued: dialogAnswers.length })
      }
      if (req.method === 'POST' && url.pathname === '/__test/open-file') {
        const opened = await openedFiles.add(((await readBody(req)) as { path: string }).path)
        broadcast('app:fileOpened', {})
        return sendJson(res, 200, opened)
      }
      if (req.method === 'POST' && url.pathname === '/__test/update-ready') {
        const { version } = (await readBody(req)) as { version: string }
        updates.ready(version, () => void restarts++)
        broadcast('app:updateReady', { version })
        return sendJson(res, 200, { version })
      }
      if (url.pathname === '/__test/restarts') return sendJson(res, 200, { restarts })
      if (url.pathname === '/__test/shell-calls') return sendJson(res, 200, shellCalls)
      if (url.pathname === '/__test/state') return sendJson(res, 200, { dataDir, workDir, db: services.store.path })
      return sendJson(res, 404, { error: 'no such test endpoint' })
    }
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '') || 'index.html'
    let file = join(staticRoot, rel)
    if (!file.startsWith(staticRoot + sep)) return sendJson(res, 403, { error: 'outside the static root' })
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) file = join(staticRoot, 'index.html')
    // The page gets a fresh nonce for its <style> elements as the app:// handler gives it, in the page and the header.
    let body: Buffer | string = readFileSync(file)
    let policy = CSP
    if (extname(file) === '.html') {
      body = withFreshNonce(body.toString('utf8'))
      const nonce = /property="csp-nonce" nonce="([^"]+)"/.exec(body)?.[1] ?? ''
      policy = CSP.replaceAll(CSP_NONCE_PLACEHOLDER, nonce)
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': policy,
      'cache-control': 'no-store'
    })
    res.end(body)
  } catch (err) {
    sendJson(res, 500, { error: String(err) })
  }
})

// Only pages served by this bridge may connect: the WebSocket twin of the binder's trusted-sender check.
const wss = new WebSocketServer({ server, path: '/ipc', verifyClient: ({ origin: o }: { origin: string }) => o === origin })
wss.on('connection', (socket) => {
  sockets.add(socket)
  socket.on('close', () => sockets.delete(socket))
  socket.on('message', async (data) => {
    let msg: { id?: unknown; channel?: unknown; params?: unknown }
    try {
      msg = JSON.parse(String(data))
    } catch {
      return
    }
    // dispatchRequest never throws; a failure here (sending to a closed socket) must not end the bridge either.
    try {
      const result = await dispatchRequest(handlers, msg.channel, msg.params)
      socket.send(JSON.stringify({ id: msg.id, result }))
    } catch (err) {
      process.stderr.write(`bridge: ${String(err)}\n`)
    }
  })
})

openFresh()
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`Stepwise test bridge on ${origin} (static ${staticRoot}, data ${dataDir})\n`)
})

const shutdown = async (): Promise<void> => {
  await services.close().catch(() => undefined)
  rmSync(dataDir, { recursive: true, force: true })
  process.exit(0)
}
process.on('SIGINT', () => void shutdown())
process.on('SIGTERM', () => void shutdown())
