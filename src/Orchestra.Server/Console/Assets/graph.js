// The deployment graph: nodes laid out in layers (a node's layer is one more than its deepest dependency), ordered within a
// layer by the mean position of their dependencies, drawn in SVG, coloured by state; drag to pan, wheel or +/- to zoom.
import { h } from './format.js';

const W = 150, H = 40, GAP_X = 70, GAP_Y = 18;

export function layout(nodes) {
  const byName = new Map(nodes.map(n => [n.name, n]));
  const layerOf = new Map();
  const visiting = new Set();
  const depth = name => {
    if (layerOf.has(name)) return layerOf.get(name);
    if (visiting.has(name)) return 0; // a cycle the compiler would have refused; never loop on one
    visiting.add(name);
    const deps = (byName.get(name)?.dependsOn || []).filter(d => byName.has(d));
    const layer = deps.length ? Math.max(...deps.map(depth)) + 1 : 0;
    visiting.delete(name);
    layerOf.set(name, layer);
    return layer;
  };
  nodes.forEach(n => depth(n.name));
  const layers = [];
  for (const n of nodes) (layers[layerOf.get(n.name)] ||= []).push(n.name);
  const row = new Map();
  layers.forEach((names, i) => {
    if (i > 0) {
      const mean = name => {
        const deps = byName.get(name).dependsOn.filter(d => row.has(d));
        return deps.length ? deps.reduce((s, d) => s + row.get(d), 0) / deps.length : 0;
      };
      names.sort((a, b) => mean(a) - mean(b));
    }
    names.forEach((name, j) => row.set(name, j));
  });
  const tallest = Math.max(1, ...layers.map(l => l.length));
  const positions = new Map();
  layers.forEach((names, i) => {
    const offset = (tallest - names.length) * (H + GAP_Y) / 2;
    names.forEach((name, j) => positions.set(name, { x: i * (W + GAP_X), y: offset + j * (H + GAP_Y) }));
  });
  return { positions, width: layers.length * (W + GAP_X) - GAP_X, height: tallest * (H + GAP_Y) - GAP_Y };
}

export function createGraph(nodes, onSelect) {
  const { positions, width, height } = layout(nodes);
  const edges = h('svg:g', { class: 'edges' });
  const boxes = h('svg:g', { class: 'nodes' });
  const PAD = 20;
  const scene = h('svg:g', { class: 'scene', transform: `translate(${PAD},${PAD})` }, edges, boxes);
  // The drawing is laid out and painted once, at its natural size; pan and zoom move it as one composited layer (a CSS
  // transform on the <svg>), so a frame repaints nothing of the 1,000 nodes inside.
  const canvas = h('svg:svg', { class: 'graph-canvas', width: String(width + 2 * PAD), height: String(height + 2 * PAD) },
    h('svg:defs', {}, h('svg:marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto' },
      h('svg:path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }))),
    scene);
  const svg = h('div', { class: 'graph', id: 'graph', tabindex: '0', role: 'group', 'aria-label': 'Deployment graph: arrows and +/- pan and zoom, 0 fits, Tab reaches the nodes' }, canvas);
  const elements = new Map();
  // All edges are one path (one element to style and paint, not one per edge); arrowheads only while they stay few, as each
  // marker is painted on its own.
  const segments = [];
  for (const node of nodes) {
    const p = positions.get(node.name);
    for (const dep of node.dependsOn || []) {
      const q = positions.get(dep);
      if (!q) continue;
      const x1 = q.x + W, y1 = q.y + H / 2, x2 = p.x, y2 = p.y + H / 2, mid = (x1 + x2) / 2;
      segments.push(`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`);
    }
  }
  if (segments.length <= 300) segments.forEach(d => edges.append(h('svg:path', { d, 'marker-end': 'url(#arrow)' })));
  else edges.append(h('svg:path', { d: segments.join(' ') }));
  for (const node of nodes) {
    const p = positions.get(node.name);
    const label = h('svg:text', { x: '10', y: '17' }, node.name.length > 18 ? node.name.slice(0, 17) + '…' : node.name);
    const status = h('svg:text', { x: '10', y: '32', class: 'sub' }, node.status);
    const g = h('svg:g', {
      class: `node st-${node.status}`, transform: `translate(${p.x},${p.y})`, tabindex: '0', role: 'button',
      'data-node': node.name, 'aria-label': `${node.name}: ${node.status}`,
      onclick: () => onSelect(node.name),
      onkeydown: e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(node.name); } },
    }, h('svg:rect', { width: String(W), height: String(H), rx: '6' }), label, status);
    elements.set(node.name, { g, status });
    boxes.append(g);
  }

  let view = { x: 0, y: 0, k: 1 };
  // Many wheel or key events can arrive between two frames: the transform is written once per frame, and the box is measured
  // once per resize, not once per event (each measure would lay the whole graph out again).
  let frame = 0;
  const apply = () => {
    frame ||= requestAnimationFrame(() => { frame = 0; canvas.style.transform = `translate(${view.x}px,${view.y}px) scale(${view.k})`; });
  };
  let box = null;
  new ResizeObserver(() => { box = null; }).observe(svg);
  const bounds = () => (box ||= svg.getBoundingClientRect());
  const zoom = (factor, cx, cy) => {
    const k = Math.min(4, Math.max(0.05, view.k * factor));
    view = { x: cx - (cx - view.x) * (k / view.k), y: cy - (cy - view.y) * (k / view.k), k };
    apply();
  };
  const fit = () => {
    const box = bounds();
    const w = width + 2 * PAD, hh = height + 2 * PAD;
    const k = Math.min(1.5, box.width / w, box.height / hh);
    view = { k, x: (box.width - w * k) / 2, y: (box.height - hh * k) / 2 };
    apply();
  };
  svg.addEventListener('wheel', e => {
    e.preventDefault();
    const box = bounds();
    zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - box.left, e.clientY - box.top);
  }, { passive: false });
  let drag = null;
  svg.addEventListener('pointerdown', e => {
    if (e.target.closest('.node')) return;
    drag = { x: e.clientX - view.x, y: e.clientY - view.y };
    svg.setPointerCapture(e.pointerId);
  });
  svg.addEventListener('pointermove', e => { if (drag) { view.x = e.clientX - drag.x; view.y = e.clientY - drag.y; apply(); } });
  svg.addEventListener('pointerup', () => { drag = null; });
  svg.addEventListener('keydown', e => {
    const box = bounds();
    const step = 40;
    const moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[e.key] && e.target === svg) { view.x += moves[e.key][0]; view.y += moves[e.key][1]; apply(); e.preventDefault(); }
    else if (e.key === '+' || e.key === '=') zoom(1.2, box.width / 2, box.height / 2);
    else if (e.key === '-') zoom(1 / 1.2, box.width / 2, box.height / 2);
    else if (e.key === '0') fit();
  });

  return {
    element: svg,
    fit,
    zoomIn: () => { const b = bounds(); zoom(1.25, b.width / 2, b.height / 2); },
    zoomOut: () => { const b = bounds(); zoom(0.8, b.width / 2, b.height / 2); },
    setStatus(name, status) {
      const e = elements.get(name);
      if (!e || !status) return;
      e.g.setAttribute('class', `node st-${status}${e.g.classList.contains('selected') ? ' selected' : ''}`);
      e.g.setAttribute('aria-label', `${name}: ${status}`);
      e.status.textContent = status;
    },
    select(name) { elements.forEach((e, n) => e.g.classList.toggle('selected', n === name)); },
  };
}
