// One "runs after" arrow of the graph: the variables it carries as its label and, once selected, a × that
// removes the dependency (Delete does the same).
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react'
import { useT } from '../i18n/use-t'
import { draftStore } from '../stores/draft-store'

export type DependencyEdgeData = { fromName: string; toName: string; labels: string[] }

export function DependencyEdge(props: EdgeProps<Edge<DependencyEdgeData>>) {
  const { t } = useT()
  const { id, source, target, data, selected, markerEnd } = props
  const [path, x, y] = getBezierPath(props)
  const labels = data?.labels ?? []
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        interactionWidth={16}
        label={labels.length ? labels.join(', ') : undefined}
        labelX={x}
        labelY={y}
        labelShowBg
        labelBgPadding={[4, 2]}
        labelBgBorderRadius={3}
      />
      {selected && (
        <EdgeLabelRenderer>
          <button
            type="button"
            className="graph-edge-remove nodrag nopan"
            style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y + (labels.length ? 18 : 0)}px)` }}
            aria-label={t('runControl.edit.graphRemoveEdge', { from: data?.fromName ?? source, to: data?.toName ?? target })}
            title={t('runControl.edit.graphRemoveEdge', { from: data?.fromName ?? source, to: data?.toName ?? target })}
            onClick={() => draftStore.getState().removeDependency(target, source)}
            data-testid="graph-edge-remove"
          >
            ×
          </button>
        </EdgeLabelRenderer>
      )}
    </>
  )
}
