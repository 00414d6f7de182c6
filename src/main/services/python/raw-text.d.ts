// Vite (electron-vite, vitest) turns `import text from './file?raw'` into the file's text, so a resource
// is bundled into the code that uses it and needs no path at run time.
declare module '*?raw' {
  const text: string
  export default text
}
