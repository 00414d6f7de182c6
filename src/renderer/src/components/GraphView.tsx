// The workflow as a graph: each step in the column of how many steps it waits for, "runs after" arrows as
// the engine will follow them (drag from a step's right dot to another to add one, select one and press
// Delete or × to remove it), dashed arrows for variables read without a dependency, and warnings for
// variables that steps running side by side both set.
import { useEffect, useMemo, useState } from 'react'
import {
  Background,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
  type NodeProps
} from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import type { StepStatus } from '../../../shared/model'
import { useT } from '../i18n/use-t'
import { graphModel } from '../lib/graph-model'
import { parseVariablesText } from '../lib/json-text'
import { runControlGraphProblems } from '../stores/draft-run-control-problems'
import { draftStore, draftSteps } from '../stores/draft-store'
import { useDraft, useRuns } from '../stores/hooks'
import { uiStore } from '../stores/ui-store'
import { DependencyEdge } from './DependencyEdge'
import { StatusBadge } from './StatusBadge'
import { useDarkTheme } from './theme'
import './run-control-edit.css'

type StepNodeData = {
  name: string
  order: number
  outputs: string[]
  status: StepStatus | null
  selected: boolean
  kind: 'step' | 'initial' | 'handler'
  vars?: string[]
}

const INITIAL = '__initial'

function StepNode({ data }: NodeProps<Node<StepNodeData>>) {
  const { t } = useT()
  if (data.kind === 'initial') {
    return (
      <div className="graph-node graph-initial" data-testid="graph-node-initial">
        <Handle type="source" position={Position.Right} isConnectable={false} />
        <strong>{t('graph.initial')}</strong>
        <div className="graph-vars">{data.vars?.join(', ')}</div>
      </div>
    )
  }
  const handler = data.kind === 'handler'
  return (
    <div
      className={`graph-node${handler ? ' graph-handler-node' : ''}${data.selected ? ' selected' : ''}${data.status ? ` node-${data.status.toLowerCase()}` : ''}`}
      data-testid="graph-node"
      data-name={data.name}
    >
      {!handler && <Handle type="target" position={Position.Left} className="graph-handle" data-testid="graph-handle-in" />}
      <div className="graph-node-head">
        <span className="step-order">{data.order + 1}</span>
        <strong>{data.name}</strong>
      </div>
      {handler && <span className="badge badge-on-failure">{t('runControl.edit.onFailure')}</span>}
      {data.status && <StatusBadge status={data.status} compact />}
      {data.outputs.length > 0 && <div className="graph-vars">→ {data.outputs.join(', ')}</div>}
      {!handler && <Handle type="source" position={Position.Right} className="graph-handle" data-testid="graph-handle-out" />}
    </div>
  )
}

const nodeTypes = { step: StepNode }
const edgeTypes = { dependency: DependencyEdge }

/** How many columns the first view fits; wider graphs open on these at a readable size. */
const FIT_COLUMNS = 3

export function GraphView() {
  const { t } = useT()
  const draft = useDraft((s) => s.draft)
  const selected = useDraft((s) => s.selectedStepId)
  const dark = useDarkTheme()
  const [selectedEdge, setSelectedEdge] = useState<string | null>(null)
  // Sizes React Flow measured, handed back with each new node object: a node without them is hidden until
  // measured again, so a click that selected a step made it vanish under the second click of a double-click.
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({})
  const run = useRuns((s) => {
    const rid = draft ? s.latestByWorkflow[draft.id] : undefined
    return rid ? s.runs[rid] : undefined
  })

  const { nodes, edges, warnings, handlers, fitIds } = useMemo(() => {
    if (!draft) return { nodes: [], edges: [], warnings: [], handlers: new Set<string>(), fitIds: null }
    const steps = draftSteps(draft)
    const vars = parseVariablesText(draft.variablesText)
    const initial = vars.ok ? vars.value : {}
    const model = graphModel(steps, draft.on_failure, initial)
    const names = new Map(steps.map((s) => [s.id, s.name]))
    const hasInitial = Object.keys(initial).length > 0
    const x0 = hasInitial ? 240 : 0
    const nodes: Node<StepNodeData>[] = model.places.map(({ step: s, handler, column, row }) => ({
      id: s.id,
      type: 'step',
      position: { x: x0 + column * 250, y: row * 110 + (handler ? 0 : (column % 2) * 40) },
      measured: measured[s.id],
      deletable: false,
      data: {
        kind: handler ? 'handler' : 'step',
        name: s.name,
        order: s.order,
        outputs: Object.keys(s.output_mapping),
        status: run?.steps.find((r) => r.id === s.id)?.status ?? null,
        selected: s.id === selected
      }
    }))
    if (hasInitial) {
      // In a lane of its own below the steps: beside the first step, its arrows to later steps ran under
      // that step and hid their variable labels there.
      const rows = Math.max(0, ...model.places.map((p) => p.row)) + 1
      nodes.unshift({
        id: INITIAL,
        type: 'step',
        position: { x: 0, y: rows * 110 + 80 },
        measured: measured[INITIAL],
        deletable: false,
        data: { kind: 'initial', name: '', order: -1, outputs: [], status: null, selected: false, vars: Object.keys(initial) }
      })
    }
    const marker = { type: MarkerType.ArrowClosed }
    const edges: Edge[] = [
      ...model.dependencies.map((d) => ({
        id: `dep:${JSON.stringify([d.from, d.to])}`,
        source: d.from,
        target: d.to,
        type: 'dependency',
        className: 'edge-dependency',
        markerEnd: marker,
        animated: run?.status === 'RUNNING',
        selected: selectedEdge === `dep:${JSON.stringify([d.from, d.to])}`,
        ariaLabel: t('runControl.edit.graphEdge', { from: names.get(d.from) ?? d.from, to: names.get(d.to) ?? d.to }),
        data: { fromName: names.get(d.from) ?? d.from, toName: names.get(d.to) ?? d.to, labels: d.labels }
      })),
      ...model.implied.map((e) => ({
        id: `implied:${JSON.stringify([e.from, e.to, e.variable])}`,
        source: e.from,
        target: e.to,
        label: e.variable,
        className: 'edge-implied',
        selectable: false,
        markerEnd: marker,
        ariaLabel: t('runControl.edit.graphImplied', {
          from: names.get(e.from) ?? e.from,
          to: names.get(e.to) ?? e.to,
          variable: e.variable
        })
      })),
      ...(hasInitial
        ? model.initial.map((f) => ({
            id: `initial:${f.to}`,
            source: INITIAL,
            target: f.to,
            label: f.labels.join(', '),
            className: 'edge-flow',
            selectable: false,
            markerEnd: marker
          }))
        : [])
    ]
    const warnings = [
      ...runControlGraphProblems(draft).map((p) => t(p.key, p.params)),
      ...model.conflicts.map((c) =>
        t('runControl.edit.graphConflict', { variable: c.variable, steps: c.steps.join(', '), winner: c.winner })
      )
    ]
    // A long chain (30 steps) fitted whole is too small to read: the view opens on its first columns at a
    // readable size, and the rest is a pan (or the fit-view control) away.
    const wide = model.places.some((p) => p.column >= FIT_COLUMNS)
    const fitIds = wide
      ? [...(hasInitial ? [INITIAL] : []), ...model.places.filter((p) => p.column < FIT_COLUMNS).map((p) => p.step.id)]
      : null
    return { nodes, edges, warnings, handlers: new Set(draft.on_failure), fitIds }
  }, [draft, selected, run, selectedEdge, measured, t])

  // On the window, not the graph: a clicked edge does not take the focus, so its keys reach only the page.
  useEffect(() => {
    if (!selectedEdge?.startsWith('dep:')) return
    const onKey = (e: globalThis.KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName))
      if ((e.key !== 'Delete' && e.key !== 'Backspace') || typing) return
      e.preventDefault()
      const [from, to] = JSON.parse(selectedEdge.slice(4)) as [string, string]
      draftStore.getState().removeDependency(to, from)
      setSelectedEdge(null)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [selectedEdge])

  if (!draft) return null

  const connectable = (c: Connection | Edge): boolean =>
    c.source !== c.target && ![c.source, c.target].some((id) => id === INITIAL || handlers.has(id))
  const onNodesChange = (changes: NodeChange[]) => {
    const sizes = changes.flatMap((c) => (c.type === 'dimensions' && c.dimensions ? [[c.id, c.dimensions] as const] : []))
    if (sizes.length) setMeasured((now) => ({ ...now, ...Object.fromEntries(sizes) }))
  }
  const onEdgesChange = (changes: EdgeChange[]) => {
    for (const c of changes) if (c.type === 'select') setSelectedEdge((now) => (c.selected ? c.id : now === c.id ? null : now))
  }

  return (
    <div className="graph-view" data-testid="graph-view" data-wide={fitIds ? 'true' : undefined}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        fitView
        fitViewOptions={{ padding: 0.25, maxZoom: 1.2, ...(fitIds && { nodes: fitIds.map((id) => ({ id })), minZoom: 0.75 }) }}
        colorMode={dark ? 'dark' : 'light'}
        nodesConnectable
        nodesDraggable={false}
        deleteKeyCode={null}
        // d3-zoom stops a double-click on the pane from reaching React, so it never opened the step.
        zoomOnDoubleClick={false}
        isValidConnection={connectable}
        onConnect={(c) => connectable(c) && draftStore.getState().addDependency(c.target, c.source)}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onPaneClick={() => setSelectedEdge(null)}
        onNodeClick={(_, node) => node.id !== INITIAL && draftStore.getState().selectStep(node.id)}
        onNodeDoubleClick={(_, node) => {
          if (node.id === INITIAL) return
          draftStore.getState().selectStep(node.id)
          uiStore.getState().setTab('steps')
        }}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
      <p className="graph-legend muted">{t('runControl.edit.graphLegend')}</p>
      {warnings.length > 0 && (
        <ul className="graph-warnings" aria-label={t('runControl.edit.graphWarnings')} data-testid="graph-warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  )
}
