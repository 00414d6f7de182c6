// Types of dist-options.mjs, for its unit test.
export function distConfig(env: Record<string, string | undefined>): {
  config: { publish?: { provider: 'generic'; url: string } }
  feed: string | null
}
export function signingPlan(env: Record<string, string | undefined>): { windows: boolean; macos: boolean; notarize: boolean }
