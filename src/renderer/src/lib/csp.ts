// The page runs under a CSP with neither 'unsafe-inline' styles nor 'unsafe-eval'. Two libraries need
// telling: zod compiles fast parsers with new Function unless it runs jitless (its probe alone is a CSP
// violation), and CodeMirror writes its themes into <style> elements, which need the page's nonce.
// Imported first by main.tsx: zod decides whether to compile when a schema is built, at module load.
import { z } from 'zod'
import { EditorView } from '@uiw/react-codemirror'

z.config({ jitless: true })

/**
 * The nonce main put into this page's CSP for <style> elements, fresh for every load (app-protocol.ts).
 * Read from the meta tag's nonce property: browsers hide the attribute itself from CSS selectors.
 */
export const styleNonce: string =
  typeof document === 'undefined' ? '' : (document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce ?? '')

/** For every CodeMirror editor: its <style> elements carry the nonce, so the CSP lets them apply. */
export const codeMirrorCsp = styleNonce ? [EditorView.cspNonce.of(styleNonce)] : []
