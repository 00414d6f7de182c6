// The renderer's only door to the main process: every request goes through `call`, which unwraps the
// contract's IpcResult and throws an ApiError carrying main's readable message, so callers can simply
// `await` and let one error path (the toasts) show what went wrong.
import type {
  ErrorCode,
  EventChannel,
  EventChannels,
  IpcError,
  RequestChannel,
  RequestParams,
  RequestResult,
  StepwiseApi
} from '../../shared/ipc-contract'

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly channel: RequestChannel,
    /** Set when a workflow's packages could not be prepared (code ENVIRONMENT). */
    readonly environment?: IpcError['environment']
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

let transport: StepwiseApi | null = null

/** Unit tests hand in a fake; the app uses what the preload (or the test bridge) put on window. */
export function setTransport(next: StepwiseApi | null): void {
  transport = next
}

function current(): StepwiseApi {
  if (transport) return transport
  const w = (globalThis as { window?: { stepwise?: StepwiseApi } }).window
  if (!w?.stepwise) throw new ApiError('INTERNAL', 'The connection to Stepwise’s main process is missing (window.stepwise).', 'app:info')
  return w.stepwise
}

export async function call<C extends RequestChannel>(channel: C, params: RequestParams<C>): Promise<RequestResult<C>> {
  let result
  try {
    result = await current().invoke(channel, params)
  } catch (err) {
    if (err instanceof ApiError) throw err
    throw new ApiError('INTERNAL', err instanceof Error ? err.message : String(err), channel)
  }
  if (!result.ok) throw new ApiError(result.error.code, result.error.message, channel, result.error.environment)
  return result.value
}

export function onEvent<E extends EventChannel>(channel: E, listener: (payload: EventChannels[E]) => void): () => void {
  return current().on(channel, listener)
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}
