// The settings table: one JSON value per key, read over the defaults so a new setting needs no migration.
import type Database from 'better-sqlite3'
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/model'
import { json } from './connection'

type Db = Database.Database

export function getSettings(db: Db): Settings {
  const rows = db.prepare(`SELECT key, value FROM settings`).all() as { key: string; value: string }[]
  const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)]))
  const settings = { ...DEFAULT_SETTINGS }
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    if (key in stored) (settings as Record<string, unknown>)[key] = stored[key]
  }
  return settings
}

export function updateSettings(db: Db, patch: Partial<Settings>): Settings {
  const put = db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`)
  db.transaction(() => {
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) put.run(key, json(value))
  }).immediate()
  return getSettings(db)
}
