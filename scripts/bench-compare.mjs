// Stepwise side by side with the seed executor on the issue-9 workloads, through the benchmark kit's own
// compare.py (seed and Stepwise runs interleaved on the same interpreter, fresh database and folders
// each). The kit is found beside the checkout (../shared/bench, or ../../shared/bench from a worktree),
// or at STEPWISE_BENCH_KIT. By default (--quick) the data-heavy workloads run at a tenth of their size;
// --full runs them at the sizes (several minutes).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'

const MB = 1_000_000

export function findKit(root) {
  const candidates = [process.env.STEPWISE_BENCH_KIT, join(root, '..', 'shared', 'bench'), join(root, '..', '..', 'shared', 'bench')]
  return candidates.find((dir) => dir && existsSync(join(dir, 'compare.py')) && existsSync(join(dir, 'workloads.py'))) ?? null
}

export const KIT_MISSING =
  'The comparison with the seed executor needs the benchmark kit (compare.py, workloads.py, seed_executor.py): ' +
  'put it in ../shared/bench beside this checkout or point STEPWISE_BENCH_KIT at its folder, then run npm run bench again.'

/**
 * The workloads and their targets. `scale` shrinks the payload sizes of the data-heavy ones (quick mode);
 * a target scales with its payload. The issue's 200 MB of memory (4× the payload) includes Node's own;
 * scaled down, that part is not: there the limit is trivial20's peak (the runner's baseline) plus 4× the
 * payload. `base`: that baseline, in bytes.
 */
function workloads(scale) {
  const payload = 50 * MB * scale
  const sized = (mb) => `${+(mb * scale).toFixed(1)} MB`
  const rssOk = (r, base) => r.peak_rss_bytes <= (scale === 1 ? 4 * payload : base + 4 * payload)
  const rss = scale === 1 ? 'RSS ≤ 200 MB' : `RSS ≤ trivial20's + ${sized(200)}`
  return [
    { name: 'trivial20', runs: 5, target: 'wall ≤ 0.5× seed', met: (r) => r.ratio <= 0.5 },
    { name: 'onestep', label: 'one trivial step', runs: 5, target: 'wall ≤ seed', met: (r) => r.ratio <= 1 },
    { name: 'single1s', runs: 3, target: 'one 1 s step: the base of parallel8', met: () => true },
    {
      name: 'parallel8',
      runs: 3,
      target: 'Stepwise wall ≤ 1.3× single1s',
      met: (r, _base, all) => r.stepwise_wall_s <= 1.3 * all.single1s.stepwise_wall_s
    },
    {
      name: 'big50mb',
      label: scale === 1 ? 'big50mb' : `big50mb at ${sized(50)}`,
      runs: 1,
      target: `${rss}, DB ≤ ${sized(150)}, wall ≤ seed`,
      met: (r, base) => rssOk(r, base) && r.db_growth_bytes <= 3 * payload && r.ratio <= 1
    },
    {
      name: 'rows50mb',
      label: scale === 1 ? 'rows50mb' : `rows50mb at ${(500_000 * scale).toLocaleString('en')} rows`,
      runs: 1,
      target: `${rss}, DB ≤ ${sized(150)}, wall ≤ seed`,
      met: (r, base) => rssOk(r, base) && r.db_growth_bytes <= 3 * payload && r.ratio <= 1
    },
    {
      name: 'stderr200mb',
      label: scale === 1 ? 'stderr200mb' : `stderr200mb at ${sized(200)}`,
      runs: 1,
      target: 'wall ≤ 3× seed',
      met: (r) => r.ratio <= 3
    },
    { name: 'burst150k', runs: 1, target: 'succeeds', met: () => true },
    { name: 'storage60x100k', runs: 1, target: 'DB ≤ 18 MB', met: (r) => r.db_growth_bytes <= 18 * MB }
  ]
}

/** Writes the kit's workflow files into `dir`, the data-heavy ones scaled by `scale`. */
function writeWorkloads(kit, python, dir, scale) {
  const code = [
    'import sys',
    `sys.path.insert(0, ${JSON.stringify(kit)})`,
    'import workloads as w',
    `s = ${scale}`,
    'w.BIG_PAYLOAD = int(w.BIG_PAYLOAD * s)',
    'w.ROWS = int(w.ROWS * s)',
    'w.STDERR_LINE = int(w.STDERR_LINE * s)',
    `w.write_all(${JSON.stringify(dir)})`,
    // The issue's one-step run: trivial20's first step alone.
    'import json, os',
    `t = json.load(open(os.path.join(${JSON.stringify(dir)}, "trivial20.json"), encoding="utf-8"))`,
    't["name"], t["steps"] = "one trivial step", t["steps"][:1]',
    `json.dump(t, open(os.path.join(${JSON.stringify(dir)}, "onestep.json"), "w", encoding="utf-8"))`
  ].join('\n')
  const r = spawnSync(python, ['-c', code], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`workloads.py failed: ${r.stderr.slice(-500)}`)
}

/** Runs compare.py on the given workflow files; returns its summary keyed by file name. */
function compare(kit, root, python, files, runs) {
  const r = spawnSync(
    python,
    [join(kit, 'compare.py'), ...files, '--runs', String(runs), '--python', python, '--checkout', root, '--timeout', '900', '--json'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * MB, stdio: ['ignore', 'pipe', 'inherit'] }
  )
  const out = r.stdout ?? ''
  const at = out.lastIndexOf('\n{')
  if (r.status !== 0 || at < 0) throw new Error(`compare.py failed (exit ${r.status}):\n${out.slice(-1500)}`)
  process.stderr.write(out.slice(0, at).replace(/^/gm, '  ') + '\n')
  const summary = JSON.parse(out.slice(at + 1))
  return Object.fromEntries(Object.entries(summary).map(([file, row]) => [basename(file, '.json'), row]))
}

/**
 * The side-by-side table as rows of cells (first row: headers), and whether every target was met. `full`:
 * the sizes; otherwise a tenth for the data-heavy workloads.
 */
export function compareWithSeed(root, dir, python, { full }) {
  const kit = findKit(root)
  if (!kit) return null
  const scale = full ? 1 : 0.1
  const wl = join(dir, 'workloads')
  writeWorkloads(kit, python, wl, scale)
  const chosen = workloads(scale)
  const results = {}
  for (const runs of [...new Set(chosen.map((w) => w.runs))]) {
    const files = chosen.filter((w) => w.runs === runs).map((w) => resolve(wl, `${w.name}.json`))
    process.stderr.write(`compare.py ${files.map((f) => basename(f)).join(' ')} --runs ${runs}\n`)
    Object.assign(results, compare(kit, root, python, files, runs))
  }
  const table = [['workload', 'seed', 'Stepwise', 'ratio', 'peak RSS', 'DB growth', 'succeeded', 'target', 'met']]
  let allMet = true
  const base = results.trivial20.peak_rss_bytes
  for (const w of chosen) {
    const r = results[w.name]
    const ok = r.stepwise_ok === r.runs
    const met = ok && w.met(r, base, results)
    allMet &&= met
    table.push([
      w.label ?? w.name,
      `${r.seed_wall_s.toFixed(2)} s`,
      `${r.stepwise_wall_s.toFixed(2)} s`,
      `${r.ratio.toFixed(2)}×`,
      `${(r.peak_rss_bytes / MB).toFixed(0)} MB`,
      `${(r.db_growth_bytes / MB).toFixed(1)} MB`,
      `${r.stepwise_ok}/${r.runs}`,
      w.target,
      met ? 'yes' : 'NO'
    ])
  }
  return { table, allMet, kit, scale }
}
