// The workflow as a graph: steps in order, and edges labelled with the variables that flow from the
// step that sets them (output mapping) into the steps that read them (input mapping).
import { useMemo } from 'react'
import { Background, Controls, Handle, MarkerType, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import type { StepStatus } from '../../../shared/model'
import { useT } from '../i18n/use-t'
import { parseVariablesText } from '../lib/json-text'
import { variableFlows } from '../lib/mapping-suggestions'
import { draftStore, draftSteps } from '../stores/draft-store'
import { useDraft, useRuns } from '../stores/hooks'
import { uiStore } from '../stores/ui-store'
import { StatusBadge } from './StatusBadge'
import { useDarkTheme } from './theme'

type StepNodeData = {
  name: string
  order: number
  outputs: string[]
  status: StepStatus | null
  selected: boolean
  kind: 'step' | 'initial'
  vars?: string[]
}

function StepNode({ data }: NodeProps<Node<StepNodeData>>) {
  const { t } = useT()
  if (data.kind === 'initial') {
    return (
      <div className="graph-node graph-initial" data-testid="graph-node-initial">
        <Handle type="source" position={Position.Right} />
        <strong>{t('graph.initial')}</strong>
        <div className="graph-vars">{data.vars?.join(', ')}</div>
      </div>
    )
  }
  return (
    <div
      className={`graph-node${data.selected ? ' selected' : ''}${data.status ? ` node-${data.status.toLowerCase()}` : ''}`}
      data-testid="graph-node"
      data-name={data.name}
    >
      <Handle type="target" position={Position.Left} />
      <div className="graph-node-head">
        <span className="step-order">{data.order + 1}</span>
        <strong>{data.name}</strong>
      </div>
      {data.status && <StatusBadge status={data.status} compact />}
      {data.outputs.length > 0 && <div className="graph-vars">→ {data.outputs.join(', ')}</div>}
      <Handle type="source" position={Position.Right} />
    </div>
  )
}

const nodeTypes = { step: StepNode }

export function GraphView() {
  const { t } = useT()
  const draft = useDraft((s) => s.draft)
  const selected = useDraft((s) => s.selectedStepId)
  const dark = useDarkTheme()
  const run = useRuns((s) => {
    const rid = draft ? s.latestByWorkflow[draft.id] : undefined
    return rid ? s.runs[rid] : undefined
  })

  const { nodes, edges } = useMemo(() => {
    if (!draft) return { nodes: [], edges: [] }
    const steps = draftSteps(draft)
    const vars = parseVariablesText(draft.variablesText)
    const initial = vars.ok ? vars.value : {}
    const flows = variableFlows(steps, initial)
    const hasInitial = Object.keys(initial).length > 0
    const x0 = hasInitial ? 240 : 0
    const nodes: Node<StepNodeData>[] = steps.map((s, i) => ({
      id: s.id,
      type: 'step',
      position: { x: x0 + i * 250, y: (i % 2) * 90 },
      data: {
        kind: 'step',
        name: s.name,
        order: i,
        outputs: Object.keys(s.output_mapping),
        status: run?.steps.find((r) => r.id === s.id)?.status ?? null,
        selected: s.id === selected
      }
    }))
    if (hasInitial) {
      nodes.unshift({
        id: '__initial',
        type: 'step',
        position: { x: 0, y: 45 },
        data: { kind: 'initial', name: '', order: -1, outputs: [], status: null, selected: false, vars: Object.keys(initial) }
      })
    }
    const grouped = new Map<string, string[]>()
    for (const f of flows) {
      const key = `${f.from ?? '__initial'}→${f.to}`
      grouped.set(key, [...(grouped.get(key) ?? []), f.variable === f.alias ? f.variable : `${f.variable} → ${f.alias}`])
    }
    const edges: Edge[] = []
    steps.forEach((s, i) => {
      if (i === 0) return
      const key = `${steps[i - 1].id}→${s.id}`
      if (!grouped.has(key)) {
        edges.push({
          id: `order-${s.id}`,
          source: steps[i - 1].id,
          target: s.id,
          className: 'edge-order',
          markerEnd: { type: MarkerType.ArrowClosed }
        })
      }
    })
    for (const [key, labels] of grouped) {
      const [source, target] = key.split('→')
      edges.push({
        id: `flow-${key}`,
        source,
        target,
        label: labels.join(', '),
        className: 'edge-flow',
        animated: run?.status === 'RUNNING',
        markerEnd: { type: MarkerType.ArrowClosed },
        data: { testid: 'graph-edge' }
      })
    }
    return { nodes, edges }
  }, [draft, selected, run])

  if (!draft) return null
  return (
    <div className="graph-view" data-testid="graph-view">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ padding: 0.25, maxZoom: 1.2 }}
        colorMode={dark ? 'dark' : 'light'}
        nodesConnectable={false}
        nodesDraggable={false}
        onNodeClick={(_, node) => node.id !== '__initial' && draftStore.getState().selectStep(node.id)}
        onNodeDoubleClick={(_, node) => {
          if (node.id === '__initial') return
          draftStore.getState().selectStep(node.id)
          uiStore.getState().setTab('steps')
        }}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
      <p className="graph-legend muted">{t('graph.legend')}</p>
    </div>
  )
}
