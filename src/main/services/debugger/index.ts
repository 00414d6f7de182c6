// The step debugger (issue 13): callers import from here.
export { DebugService, type DebugServiceOptions, type DebugStartRequest, type DebugListener } from './service'
export { DebugRequestError } from './channel'
export { createDebugHandlers } from './debug-handlers'
