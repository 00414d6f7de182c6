// The contract's debug:* channels, over the debug service. Spread into the request handlers.
import type { RequestHandlers } from '../request-handlers'
import type { DebugService } from './service'

type DebugChannels = 'debug:start' | 'debug:command' | 'debug:setBreakpoints' | 'debug:variables' | 'debug:evaluate' | 'debug:stop'

export function createDebugHandlers(service: DebugService): Pick<RequestHandlers, DebugChannels> {
  return {
    'debug:start': async ({ workflow_id, step_id, execution_id, breakpoints, code }) =>
      service.start({ workflowId: workflow_id, stepId: step_id, executionId: execution_id, breakpoints, code }),
    'debug:command': async ({ session_id, command }) => {
      await service.session(session_id).command(command)
      return { sent: true }
    },
    'debug:setBreakpoints': async ({ session_id, breakpoints }) => ({
      breakpoints: await service.session(session_id).setBreakpoints(breakpoints)
    }),
    'debug:variables': async ({ session_id, frame_id, ref, start, count }) =>
      service.session(session_id).variables({ frame_id, ref, start, count }),
    'debug:evaluate': async ({ session_id, frame_id, expression }) => service.session(session_id).evaluate(frame_id, expression),
    'debug:stop': async ({ session_id }) => ({ stopped: await service.stop(session_id) })
  }
}
