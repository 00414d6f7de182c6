// A V8 code cache for the CLI's bundle. Compiling its 1.2 MB was a fifth of every command's start (Node
// 20 has no module.enableCompileCache): the compiled code is kept in the user's cache folder and reused
// while the file, its size and the Node version stay the same. V8 checks what it is given and rejects
// data that does not match the source; rejected or missing data is made again after the command.
// STEPWISE_CODE_CACHE=off turns it off.
'use strict'
const Module = require('node:module')
const vm = require('node:vm')
const fs = require('node:fs')
const path = require('node:path')
const os = require('node:os')

/** userCacheDir() of src/main/services/app-paths.ts (this runs before that is loaded), + code-cache. */
function cacheFolder() {
  const env = process.env
  if (env.STEPWISE_CODE_CACHE === 'off') return null
  const home = os.homedir()
  const root = env.STEPWISE_CACHE_DIR
    ? env.STEPWISE_CACHE_DIR
    : env.STEPWISE_HOME
      ? path.join(env.STEPWISE_HOME, 'cache')
      : process.platform === 'win32'
        ? path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'Stepwise', 'Cache')
        : process.platform === 'darwin'
          ? path.join(home, 'Library', 'Caches', 'Stepwise')
          : path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'Stepwise')
  return path.join(root, 'code-cache')
}

function makeRequire(mod) {
  const require = (id) => mod.require(id)
  require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options)
  require.main = process.mainModule
  require.extensions = Module._extensions
  require.cache = Module._cache
  return require
}

/** Compiles the files under `root` through the cache; returns the function that saves what was made. */
function install(root) {
  const folder = cacheFolder()
  if (!folder) return () => {}
  const toSave = []
  const compile = Module.prototype._compile
  Module.prototype._compile = function (content, filename) {
    if (!filename.startsWith(root + path.sep)) return compile.call(this, content, filename)
    let stat
    try {
      stat = fs.statSync(filename)
    } catch {
      return compile.call(this, content, filename)
    }
    const stem = path.relative(root, filename).replace(/[\\/]/g, '_')
    const file = path.join(folder, `${stem}.${process.version}-${process.arch}.${stat.size}.${Math.floor(stat.mtimeMs)}.bin`)
    let cachedData
    try {
      cachedData = fs.readFileSync(file)
    } catch {
      cachedData = undefined
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData })
    if (!cachedData || script.cachedDataRejected) toSave.push({ script, file, stem })
    const fn = script.runInThisContext({ displayErrors: true })
    return fn.call(this.exports, this.exports, makeRequire(this), this, filename, path.dirname(filename))
  }
  return function save() {
    for (const { script, file, stem } of toSave.splice(0)) {
      try {
        fs.mkdirSync(folder, { recursive: true })
        // What earlier builds left under this name goes: one file per bundle file, not one per build.
        for (const old of fs.readdirSync(folder))
          if (old.startsWith(stem + '.') && path.join(folder, old) !== file) fs.rmSync(path.join(folder, old), { force: true })
        const temp = `${file}.${process.pid}.tmp`
        fs.writeFileSync(temp, script.createCachedData())
        fs.renameSync(temp, file)
      } catch {
        // A read-only or full disk: the command ran all the same, and compiles again next time.
      }
    }
  }
}

module.exports = { install }
