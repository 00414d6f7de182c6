// A switch with its label, and a hint below it when there is one: the shape every on/off setting takes.

export function Toggle(props: { checked: boolean; onChange: (checked: boolean) => void; label: string; hint?: string; testid: string }) {
  return (
    <>
      <label className="toggle">
        <input type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} data-testid={props.testid} />
        <span className="toggle-track" aria-hidden="true" />
        {props.label}
      </label>
      {props.hint && <p className="hint">{props.hint}</p>}
    </>
  )
}
