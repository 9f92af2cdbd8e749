/**
 * The script a viewer page runs: it reads the embedded data and draws it — header, step controls, and
 * per side an SVG of the ownership graph at the current step. It decides nothing the data has not
 * decided (marks, witness, layout come from TypeScript) and builds every element with
 * createElement/textContent, never from markup, so no text from a file can become markup.
 * Plain ES2020 in a string: it runs in the browser as written, with no build step and no network.
 */
export const VIEWER_SCRIPT = String.raw`(() => {
  'use strict';
  const SVG = 'http://www.w3.org/2000/svg';
  const GAP = 40, FRAME_W = 236, CHAR_W = 6.8, ROW_H = 32, NODE_H = 24, PAD = 14;
  const FIXED = { free: '#eeeeee', Xen: '#9e9e9e', dom_io: '#d7ccc8', 'reserved (RMRR)': '#ffe0b2' };
  const PALETTE = ['#90caf9', '#a5d6a7', '#ce93d8', '#ffcc80', '#80deea', '#f48fb1', '#e6ee9c', '#bcaaa4'];
  const root = document.getElementById('viewer');
  const data = JSON.parse(document.getElementById('viewer-data').textContent);
  if (data.format !== 1) { root.textContent = 'This page holds viewer data of format ' + data.format + ', which this viewer cannot show.'; return; }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function sv(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const k of Object.keys(attrs)) e.setAttribute(k, String(attrs[k]));
    return e;
  }
  function ownerColour(owner) {
    if (Object.prototype.hasOwnProperty.call(FIXED, owner)) return FIXED[owner];
    const m = /^dom(\d+)$/.exec(owner);
    return m ? PALETTE[Number(m[1]) % PALETTE.length] : '#fff59d';
  }
  function domOf(label) {
    const m = /^dom(\d+)/.exec(label);
    return m ? 'dom' + m[1] : '';
  }

  const last = data.actions.length;
  root.setAttribute('data-step-count', String(last));
  const header = el('header');
  header.appendChild(el('h1', '', data.title));
  for (const line of data.about) header.appendChild(el('p', 'about', line));
  if (data.command) header.appendChild(el('p', 'command')).appendChild(el('code', '', data.command));
  root.appendChild(header);

  const controls = el('div', 'controls');
  const prev = el('button', '', '←');
  prev.type = 'button';
  prev.title = 'previous step (←)';
  const slider = el('input');
  slider.type = 'range';
  slider.id = 'step-slider';
  slider.min = '0';
  slider.max = String(last);
  slider.setAttribute('aria-label', 'step');
  const next = el('button', '', '→');
  next.type = 'button';
  next.title = 'next step (→)';
  const label = el('span', '');
  label.id = 'step-label';
  controls.append(prev, slider, next, label, el('span', 'hint', '← → step · Home/End first/last'));
  root.appendChild(controls);

  const stepList = el('ol', 'steps');
  stepList.id = 'steps';
  stepList.start = 0;
  const items = ['the initial state'].concat(data.actions).map((text, k) => {
    const li = el('li', '', text);
    li.value = k;
    if (data.sides.some((s) => s.steps[k].violated)) li.classList.add('violated');
    li.addEventListener('click', () => go(k));
    stepList.appendChild(li);
    return li;
  });
  root.appendChild(stepList);

  const owners = new Set();
  for (const s of data.sides) for (const st of s.steps) for (const n of st.nodes) if (n.frame) owners.add(n.frame.owner);
  const legend = el('div', 'legend');
  for (const o of Array.from(owners).sort()) {
    const chip = el('span', 'chip', o);
    chip.style.background = ownerColour(o);
    legend.appendChild(chip);
  }
  for (const [cls, text] of [['l-reach', 'reaches'], ['l-ref', 'holds a reference'], ['l-grant', 'grant'], ['l-added', 'added by this step'], ['l-removed', 'removed by this step'], ['l-witness', 'witness path'], ['l-stale', 'stale reference']]) {
    legend.appendChild(el('span', 'key ' + cls, text));
  }
  root.appendChild(legend);

  const sidesBox = el('div', 'sides');
  const panels = data.sides.map((side) => {
    const sec = el('section', 'side');
    sec.setAttribute('data-role', side.role);
    sec.setAttribute('data-design', side.design);
    sec.appendChild(el('h2', '', (side.role ? side.role + ': ' : '') + side.design + ' ' + side.settings));
    sec.appendChild(el('p', 'verdict', side.verdict));
    const result = el('p', 'result');
    sec.appendChild(result);
    const graph = el('div', 'graph');
    // Each column as wide as its longest name (monospace), so a graph fits beside another one.
    const widths = new Array(side.columns).fill(0);
    for (const n of side.nodes) widths[n.column] = Math.max(widths[n.column], n.kind === 'frame' ? FRAME_W : Math.ceil(n.label.length * CHAR_W) + 18);
    const left = [PAD];
    for (let c = 1; c < side.columns; c++) left.push(left[c - 1] + widths[c - 1] + GAP);
    const svg = sv('svg', { width: left[side.columns - 1] + widths[side.columns - 1] + PAD, height: Math.max(1, side.rows) * ROW_H + 2 * PAD, role: 'img' });
    graph.appendChild(svg);
    sec.appendChild(graph);
    sec.appendChild(el('h3', '', 'what this step changed'));
    const changes = el('ul', 'changes');
    sec.appendChild(changes);
    sec.appendChild(el('h3', '', 'witness'));
    for (const t of side.witnessText) sec.appendChild(el('p', 'witness-text', t));
    for (const p of side.witnessPaths) {
      const ol = el('ol', 'witness-path');
      for (const hop of p) ol.appendChild(el('li', '', hop));
      sec.appendChild(ol);
    }
    if (side.witnessPaths.length === 0) sec.appendChild(el('p', 'none', 'no violation of the invariant on this design'));
    sidesBox.appendChild(sec);
    const at = new Map(side.nodes.map((n) => [n.id, n]));
    return { side, svg, result, changes, at, widths, left };
  });
  root.appendChild(sidesBox);

  function draw(panel, k) {
    const { side, svg, result, changes, at, widths, left } = panel;
    const place = (n) => ({ x: left[n.column], y: PAD + n.row * ROW_H, w: widths[n.column] });
    const step = side.steps[k];
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    result.textContent = k === 0 ? 'the initial state' : 'step ' + k + ': ' + step.action + ' → ' + step.result + (step.violated ? '  ✗ invariant broken' : '');
    result.classList.toggle('broken', step.violated);
    while (changes.firstChild) changes.removeChild(changes.firstChild);
    for (const c of step.changes) changes.appendChild(el('li', '', c));
    if (step.changes.length === 0) changes.appendChild(el('li', 'none', k === 0 ? '(before any action)' : '(no change in owners, generations, domains)'));
    const edges = step.edges.slice().sort((a, b) => Number(a.witness) - Number(b.witness));
    for (const e of edges) {
      const a = at.get(e.from), b = at.get(e.to);
      if (!a || !b) continue;
      const p = place(a), q = place(b);
      const x1 = p.x + p.w, y1 = p.y + NODE_H / 2, x2 = q.x, y2 = q.y + NODE_H / 2, mid = (x1 + x2) / 2;
      const d = 'M' + x1 + ',' + y1 + ' C' + mid + ',' + y1 + ' ' + mid + ',' + y2 + ' ' + x2 + ',' + y2;
      // The witness colour would hide that this step added the edge: a green halo under it keeps both.
      if (e.witness && e.mark === 'added') svg.appendChild(sv('path', { d, class: 'halo-added' }));
      const path = sv('path', { d });
      path.setAttribute('class', 'edge kind-' + e.kind + ' mark-' + e.mark + (e.witness ? ' witness' : '') + (e.stale ? ' stale' : ''));
      path.setAttribute('data-from', a.label);
      path.setAttribute('data-to', b.label);
      const title = sv('title', {});
      title.textContent = e.labels.join('\n') + (e.mark !== 'same' ? '\n(' + e.mark + ' by this step)' : '');
      path.appendChild(title);
      svg.appendChild(path);
    }
    for (const n of step.nodes) {
      const laid = at.get(n.id);
      if (!laid) continue;
      const p = place(laid);
      const g = sv('g', { transform: 'translate(' + p.x + ',' + p.y + ')' });
      g.setAttribute('class', 'node kind-' + laid.kind + ' mark-' + n.mark + (n.witness ? ' witness' : ''));
      g.setAttribute('data-label', laid.label);
      const rect = sv('rect', { width: p.w, height: NODE_H, rx: laid.kind === 'principal' ? 12 : 3 });
      const text = sv('text', { x: 8, y: NODE_H / 2 + 4 });
      let words = laid.label;
      if (n.frame) {
        rect.setAttribute('fill', ownerColour(n.frame.owner));
        words += ' · ' + n.frame.owner + ' · gen ' + n.frame.gen + ' · ref ' + n.frame.refcount;
      } else if (laid.kind === 'principal') {
        // A principal wears its domain's colour, so "dom1 CPU reaches a dom2 frame" reads at a glance.
        const d = domOf(laid.label);
        rect.setAttribute('fill', d ? ownerColour(d) : '#ffffff');
      } else {
        rect.setAttribute('fill', '#fafafa');
      }
      text.textContent = words;
      const title = sv('title', {});
      title.textContent = words + (n.mark !== 'same' ? ' (' + n.mark + ' by this step)' : '');
      g.append(title, rect, text);
      svg.appendChild(g);
    }
  }

  let current = -1;
  function go(k) {
    const to = Math.max(0, Math.min(last, k));
    current = to;
    slider.value = String(to);
    label.textContent = to === 0 ? 'initial state (step 0 of ' + last + ')' : 'step ' + to + ' of ' + last;
    root.setAttribute('data-step', String(to));
    items.forEach((li, i) => li.classList.toggle('current', i === to));
    for (const p of panels) draw(p, to);
  }
  slider.addEventListener('input', () => go(Number(slider.value)));
  prev.addEventListener('click', () => go(current - 1));
  next.addEventListener('click', () => go(current + 1));
  document.addEventListener('keydown', (e) => {
    // The slider steps itself on arrow keys (and fires 'input'); stepping here too would skip a step.
    if (e.target === slider || e.altKey || e.ctrlKey || e.metaKey) return;
    const to = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: last }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    go(to);
  });
  go(data.focus);
  root.setAttribute('data-ready', 'true');
})();`;
