/** The viewer page's style sheet, inlined: the page loads nothing from anywhere. */
export const VIEWER_STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #212121; background: #fff; }
h1 { font-size: 18px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 4px 0; }
h3 { font-size: 13px; margin: 10px 0 2px; color: #455a64; }
p { margin: 2px 0; }
.about { color: #37474f; }
.command code { background: #f5f5f5; padding: 1px 4px; }
.controls { display: flex; align-items: center; gap: 8px; margin: 10px 0 4px; }
.controls input { width: 320px; }
#step-label { font-weight: 600; min-width: 150px; }
.hint { color: #78909c; font-size: 12px; }
.steps { margin: 4px 0 8px; padding-left: 36px; font-family: ui-monospace, monospace; font-size: 12px; }
.steps li { cursor: pointer; }
.steps li.current { background: #fff9c4; font-weight: 600; }
.steps li.violated::after { content: '  ✗ violated'; color: #c62828; }
.legend { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0 8px; font-size: 12px; }
.chip { padding: 0 6px; border: 1px solid #90a4ae; border-radius: 3px; }
.key { padding-left: 26px; position: relative; }
.key::before { content: ''; position: absolute; left: 0; top: 8px; width: 22px; border-top: 2px solid #78909c; }
.l-ref::before { border-top-style: dashed; }
.l-grant::before { border-top: 2px dotted #8d6e63; }
.l-added::before { border-top-color: #2e7d32; border-top-width: 3px; }
.l-removed::before { border-top: 2px dashed #c62828; }
.l-witness::before { border-top: 4px solid #d500f9; top: 7px; }
.l-stale::before { border-top: 2px solid #ff6f00; }
.sides { display: flex; gap: 16px; align-items: flex-start; }
.side { flex: 1 1 0; min-width: 0; border: 1px solid #cfd8dc; border-radius: 4px; padding: 8px; }
.graph { overflow-x: auto; }
.verdict { color: #37474f; }
.result { font-family: ui-monospace, monospace; font-size: 12px; }
.result.broken { color: #c62828; font-weight: 600; }
.changes, .witness-path { margin: 2px 0; font-size: 12px; }
.witness-path li::marker { color: #d500f9; }
.witness-text { font-size: 12px; }
.none { color: #78909c; }
svg text { font: 11px ui-monospace, monospace; fill: #212121; pointer-events: none; }
.edge { fill: none; stroke: #90a4ae; stroke-width: 1.2; }
.edge.kind-ref { stroke-dasharray: 4 3; }
.edge.kind-grant { stroke: #8d6e63; stroke-dasharray: 1 3; }
.edge.stale { stroke: #ff6f00; stroke-width: 2; }
.edge.mark-added { stroke: #2e7d32; stroke-width: 2.4; }
.edge.mark-changed { stroke: #ef6c00; stroke-width: 2; }
.edge.mark-removed { stroke: #c62828; stroke-dasharray: 6 4; opacity: 0.8; }
.halo-added { fill: none; stroke: #2e7d32; stroke-width: 10; opacity: 0.45; }
.edge.witness { stroke: #d500f9; stroke-width: 4; opacity: 1; }
.node rect { stroke: #546e7a; stroke-width: 1; }
.node.kind-principal rect { stroke-width: 3; }
.node.mark-added rect { stroke: #2e7d32; stroke-width: 3; }
.node.mark-changed rect { stroke: #ef6c00; stroke-width: 3; }
.node.mark-removed { opacity: 0.45; }
.node.mark-removed rect { stroke: #c62828; stroke-dasharray: 4 3; }
.node.witness rect { stroke: #d500f9; stroke-width: 3.5; }
`;
