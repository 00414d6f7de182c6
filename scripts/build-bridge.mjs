#!/usr/bin/env node
// Builds the end-to-end test bundles (see vite.bridge.config.mts): the browser renderer and the bridge server.
import { build } from 'vite'
import { fileURLToPath } from 'node:url'

const configFile = fileURLToPath(new URL('../vite.bridge.config.mts', import.meta.url))
await build({ configFile, logLevel: 'warn' })
process.env.STEPWISE_BUILD = 'server'
await build({ configFile, logLevel: 'warn' })
