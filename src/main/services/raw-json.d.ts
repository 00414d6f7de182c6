// Vite (the app, the bridge and vitest builds alike) imports `?raw` files as their text.
declare module '*.json?raw' {
  const text: string
  export default text
}
