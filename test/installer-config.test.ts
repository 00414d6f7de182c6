// The installer configuration, checked the way electron-builder will check it on a machine that can
// build installers (this one cannot download Electron): against electron-builder's own JSON schema,
// plus what a user of each installer would notice.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import Ajv from 'ajv'
import { minimatch } from 'minimatch'
import { describe, expect, it } from 'vitest'

const root = join(__dirname, '..')
const require = createRequire(join(root, 'package.json'))
// electron-builder reads its YAML config with js-yaml; use the same parser.
const yaml = require('js-yaml') as { load(text: string): unknown }
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object

type Target = { target: string; arch?: string[] }
interface BuilderConfig {
  appId: string
  productName: string
  directories: { output: string; buildResources?: string }
  files: string[]
  asar?: boolean
  asarUnpack: string[]
  npmRebuild: boolean
  win: { icon: string; target: Target[] }
  nsis: Record<string, unknown>
  mac: { icon: string; target: Target[] }
  linux: { icon: string; target: Target[] }
  [key: string]: unknown
}

const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string
  scripts: Record<string, string>
  dependencies: Record<string, string>
}

function schemaErrors(candidate: unknown): string[] {
  // Stricter than electron-builder (which coerces types): a "false" string where a boolean belongs fails here.
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema)
  return validate(candidate) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)
}

/**
 * Whether the app would ship this path: electron-builder copies the production dependencies' node_modules
 * on its own, and applies the `files` globs (later "!" ones excluding) to everything.
 */
function shipped(path: string): boolean {
  const dependency = /^node_modules\/([^/]+)\//.exec(path)?.[1]
  let included = !!dependency && dependency in pkg.dependencies
  for (const pattern of config.files) {
    if (pattern.startsWith('!')) {
      if (minimatch(path, pattern.slice(1), { dot: true })) included = false
    } else if (minimatch(path, pattern, { dot: true })) included = true
  }
  return included
}

describe('electron-builder.yml', () => {
  it("matches electron-builder's schema", () => {
    expect(schemaErrors(config)).toEqual([])
  })

  it("passes electron-builder's own validation", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(k: string, v: unknown): void }): Promise<void>
    }
    await expect(validateConfiguration(config, { isEnabled: false, add() {} })).resolves.toBeUndefined()
  })

  it('would reject a broken configuration (the check is real)', () => {
    expect(schemaErrors({ ...config, nsis: { ...config.nsis, oneClick: 'no' } })).not.toEqual([])
    expect(schemaErrors({ ...config, nsiss: {} })).not.toEqual([])
  })

  it('names the app and writes installers to dist/', () => {
    expect(config.appId).toBe('app.stepwise.desktop')
    expect(config.productName).toBe('Stepwise')
    expect(config.directories.output).toBe('dist')
    expect(pkg.scripts.dist).toMatch(/native-module\.mjs electron.*npm run build.*node scripts\/dist\.mjs/)
  })

  it('builds a per-user Windows installer whose folder can be chosen, and a portable exe', () => {
    expect(config.win.target.map((t) => t.target).sort()).toEqual(['nsis', 'portable'])
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true })
  })

  it('never shows the "all users or just me" page: the include script forces the per-user mode without elevation', () => {
    // electron-builder's assisted installer shows that page unless customInstallMode forces a mode.
    const template = readFileSync(require.resolve('app-builder-lib/templates/nsis/multiUserUi.nsh'), 'utf8')
    expect(template).toMatch(/!insertmacro customInstallMode/)
    expect(template).toMatch(/\$isForceCurrentInstall == "1"/)
    expect(config.nsis.allowElevation).toBe(false)
    const include = readFileSync(join(root, String(config.nsis.include)), 'utf8')
    expect(include).toMatch(/!macro customInstallMode\s+StrCpy \$isForceCurrentInstall "1"\s+!macroend/)
    expect(include).not.toMatch(/isForceMachineInstall "1"/)
  })

  it('opens .stepwise.json files with Stepwise, as an editor', () => {
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'stepwise.json', name: 'Stepwise workflow', role: 'Editor' })])
    // The app shell takes the same suffix from its command line and open-file events.
    expect(readFileSync(join(root, 'src/main/services/shell-inbox/opened-files.ts'), 'utf8')).toMatch(
      /WORKFLOW_FILE_SUFFIX = '\.stepwise\.json'/
    )
  })

  it('has no update feed of its own, and signs and notarizes only with credentials from the environment', () => {
    expect(config.publish).toBeNull()
    const mac = config.mac as unknown as Record<string, unknown>
    // Set to false or to an identity, these would skip or force signing whatever the environment says.
    expect(mac.notarize).toBeUndefined()
    expect(mac.identity).toBeUndefined()
    expect(mac.hardenedRuntime).toBe(true)
    expect((config.win as unknown as Record<string, unknown>).signtoolOptions).toBeUndefined()
  })

  it('ships electron-updater, which only the app shell imports', () => {
    expect(pkg.dependencies['electron-updater']).toBeDefined()
    expect(shipped('node_modules/electron-updater/out/main.js')).toBe(true)
  })

  it('builds a dmg for Intel and Apple silicon Macs, and a Linux AppImage', () => {
    const dmg = config.mac.target.find((t) => t.target === 'dmg')
    expect(dmg?.arch?.sort()).toEqual(['arm64', 'x64'])
    expect(config.linux.target.map((t) => t.target)).toEqual(['AppImage'])
  })

  it('ships the built app and keeps the native module outside the asar', () => {
    expect(shipped(pkg.main.replace(/^\.\//, ''))).toBe(true)
    expect(shipped('out/preload/index.js')).toBe(true)
    expect(shipped('package.json')).toBe(true)
    expect(shipped('src/main/app/index.ts')).toBe(false)
    const native = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'
    expect(existsSync(join(root, native))).toBe(true)
    expect(shipped(native)).toBe(true)
    expect(config.asarUnpack.some((p) => minimatch(native, p, { dot: true }))).toBe(true)
    // The native module must not be stripped by the exclusions for its sources and build leftovers.
    expect(shipped('node_modules/better-sqlite3/build/Release/obj.target/better_sqlite3.o')).toBe(false)
    expect(config.npmRebuild).toBe(true)
  })

  it('flips the Electron fuses: no run-as-Node, no NODE_OPTIONS or --inspect, the app only from a checked asar', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      resetAdHocDarwinSignature: true
    })
    expect(config.asar).toBe(true)
    // runAsNode may stay off only while the shipped app does not run its CLI through its own binary.
    expect(shipped('bin/stepwise.js')).toBe(false)
    expect(readFileSync(join(root, 'bin', 'stepwise.js'), 'utf8')).not.toMatch(/ELECTRON_RUN_AS_NODE/)
    expect(schemaErrors({ ...config, electronFuses: { ...(config.electronFuses as object), runAsNod: false } })).not.toEqual([])
  })

  it('points at real icons: a 512x512 PNG and a Windows .ico with a 256x256 entry', () => {
    const png = readFileSync(join(root, config.mac.icon))
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    expect(png.toString('ascii', 12, 16)).toBe('IHDR')
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512])
    expect(config.linux.icon).toBe(config.mac.icon)

    const ico = readFileSync(join(root, config.win.icon))
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1])
    const count = ico.readUInt16LE(4)
    const sizes = Array.from({ length: count }, (_, i) => ico[6 + i * 16] || 256)
    expect(sizes).toContain(256)
    for (let i = 0; i < count; i++) {
      const offset = ico.readUInt32LE(6 + i * 16 + 12)
      expect(ico.subarray(offset + 1, offset + 4).toString('ascii')).toBe('PNG')
    }
  })
})

describe('CI workflow', () => {
  const ci = yaml.load(readFileSync(join(root, '.github', 'workflows', 'ci.yml'), 'utf8')) as {
    jobs: Record<
      string,
      {
        'runs-on': string
        strategy: { matrix: { include: { os: string; chromium: string }[] } }
        env: Record<string, string>
        steps: { uses?: string; run?: string; with?: Record<string, unknown> }[]
      }
    >
  }
  const job = Object.values(ci.jobs)[0]

  it("runs the README's test command on Windows, macOS and Linux with Node 20 and Python 3", () => {
    expect(job.strategy.matrix.include.map((m) => m.os).sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest'])
    expect(job['runs-on']).toBe('${{ matrix.os }}')
    const node = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))
    expect(String(node?.with?.['node-version'])).toBe('20')
    const python = job.steps.find((s) => s.uses?.startsWith('actions/setup-python@'))
    expect(String(python?.with?.['python-version'])).toMatch(/^3\./)
    const runs = job.steps.filter((s) => s.run).map((s) => s.run!.trim())
    expect(runs.indexOf('npm ci')).toBeGreaterThanOrEqual(0)
    expect(runs.indexOf('npm test')).toBeGreaterThan(runs.indexOf('npm ci'))
  })

  it('gives the end-to-end tests the Chrome each runner image ships', () => {
    expect(job.env.CHROMIUM_PATH).toBe('${{ matrix.chromium }}')
    const byOs = Object.fromEntries(job.strategy.matrix.include.map((m) => [m.os, m.chromium]))
    expect(byOs['windows-latest']).toBe('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe')
    expect(byOs['macos-latest']).toBe('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome')
    expect(byOs['ubuntu-latest']).toMatch(/^\/usr\/bin\/google-chrome/)
  })
})
