/**
 * Draws a laid-out job graph, virtualised by the viewport: the whole model
 * (every job, its position and status) lives here, but only what is in view
 * is drawn, once per animation frame after a pan, zoom or change.
 *
 * - Up to DOM_LIMIT jobs in view: SVG, one `<g data-job-uid data-status>` per
 *   job in view and one path per edge crossing the view, so that people, the
 *   keyboard and tests find them (a small project fitted to the view has
 *   every job and edge in the DOM).
 * - More in view (a large project zoomed out): one canvas, a coloured box per
 *   job and a line per edge, no DOM per job; a click is hit-tested.
 *
 * A status change updates the model and, if the job is drawn, its element's
 * attributes in place (CSS colours it) or the canvas on the next frame; never
 * the layout.
 */
import type { JobStatus } from '../../gql/graphql.js';
import { svg } from '../dom.js';
import { statusLabel } from '../status.js';
import type { LayoutResult } from './layered-layout.js';

export interface GraphNode {
  uid: string;
  title: string;
  type: string;
  status: JobStatus;
  parents: readonly string[];
}

export interface GraphRendererOptions {
  /** A node was chosen (click, Enter or Space). */
  onSelect(uid: string): void;
  /** At most this many jobs in view are drawn as SVG; more are drawn on a canvas. @default 700 */
  domLimit?: number;
}

export interface GraphRenderer {
  readonly element: SVGSVGElement;
  /** Draws these nodes at these positions (existing nodes move, new ones appear, missing ones go); resolves once the frame showing them is rendered. */
  draw(nodes: readonly GraphNode[], layout: LayoutResult): Promise<void>;
  setStatus(uid: string, status: JobStatus): void;
  select(uid: string | null): void;
  centerOn(uid: string): void;
  fit(): void;
  zoomBy(factor: number): void;
  /** Whether the model has this job (drawn or not, depending on the view). */
  has(uid: string): boolean;
  /** Whether the person has panned or zoomed (then a redraw keeps their view). */
  readonly interacted: boolean;
}

export const NODE_WIDTH = 176;
export const NODE_HEIGHT = 52;
const FAR_SCALE = 0.3;
const MIN_SCALE = 0.005;
const MAX_SCALE = 2.5;
/** Margin around the view (screen pixels) inside which jobs are drawn already, so a short pan shows no gap. */
const OVERSCAN = 200;
/** Job elements created per frame at most (the rest on the next frames), so a big view never blocks the main thread for long. */
const CREATE_PER_FRAME = 150;

const STATUS_VARS: Record<JobStatus, string> = {
  BUILDING: '--building',
  QUEUED: '--queued',
  LAUNCHED: '--launched',
  STARTED: '--started',
  RUNNING: '--running',
  WAITING: '--waiting',
  COMPLETED: '--completed',
  KILLED: '--killed',
  FAILED: '--failed',
};

interface Edge {
  parent: string;
  child: string;
}

export function createGraphRenderer(container: HTMLElement, { onSelect, domLimit = 700 }: GraphRendererOptions): GraphRenderer {
  const canvas = document.createElement('canvas');
  canvas.className = 'graph-canvas';
  canvas.setAttribute('aria-hidden', 'true');
  const root = svg('svg', { class: 'graph-svg', role: 'group', 'aria-label': 'job graph' });
  const scene = svg('g', { class: 'scene' });
  const edgeLayer = svg('g', { class: 'edges' });
  const nodeLayer = svg('g', { class: 'nodes' });
  scene.append(edgeLayer, nodeLayer);
  root.append(scene);
  container.append(canvas, root);

  /** The model: every job and edge, drawn or not. */
  let model = new Map<string, GraphNode>();
  let edgeList: Edge[] = [];
  let positions: LayoutResult['positions'] = {};
  let size = { width: 0, height: 0 };
  let view = { x: 0, y: 0, k: 1 };
  let selected: string | null = null;
  /** What is in the DOM now. */
  const nodes = new Map<string, SVGGElement>();
  const edges = new Map<string, SVGPathElement>();
  let mode: 'svg' | 'canvas' = 'svg';
  let frame = 0;
  let frameWaiters: (() => void)[] = [];
  let painted = false;
  let colours: Record<string, string> | null = null;
  let interacted = false;

  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(render);
  };
  const nextFrame = () =>
    new Promise<void>((resolve) => {
      frameWaiters.push(resolve);
      schedule();
    });

  function render() {
    frame = 0;
    const width = root.clientWidth || container.clientWidth || 800;
    const height = root.clientHeight || container.clientHeight || 600;
    const { x, y, k } = view;
    scene.setAttribute('transform', `translate(${x},${y}) scale(${k})`);
    root.classList.toggle('far', k < FAR_SCALE);
    // The view in graph coordinates, with the overscan margin.
    const left = (-x - OVERSCAN) / k;
    const top = (-y - OVERSCAN) / k;
    const right = (width - x + OVERSCAN) / k;
    const bottom = (height - y + OVERSCAN) / k;
    if (!painted && model.size > 0) {
      // The first frame showing jobs: marked once it is painted (the task after the frame).
      painted = true;
      setTimeout(() => performance.mark('jobgraph:first-graph-paint'), 0);
    }
    const inView: string[] = [];
    for (const uid of model.keys()) {
      const at = positions[uid];
      if (at && at.x + NODE_WIDTH >= left && at.x <= right && at.y + NODE_HEIGHT >= top && at.y <= bottom) inView.push(uid);
    }
    if (inView.length > domLimit) {
      if (mode === 'svg') clearDom();
      mode = 'canvas';
      root.classList.add('canvas-mode');
      paintCanvas(width, height);
    } else {
      if (mode === 'canvas') clearCanvas();
      mode = 'svg';
      root.classList.remove('canvas-mode');
      if (!drawDom(inView, left, top, right, bottom)) {
        // More to create: the next frame goes on (and draw() resolves once all are there).
        schedule();
        return;
      }
    }
    const waiters = frameWaiters;
    frameWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Draws the jobs in view as SVG; false when it stopped at CREATE_PER_FRAME new elements. */
  function drawDom(inView: string[], left: number, top: number, right: number, bottom: number): boolean {
    const wanted = new Set(inView);
    for (const [uid, g] of nodes) {
      if (!wanted.has(uid)) {
        g.remove();
        nodes.delete(uid);
      }
    }
    let fragment: DocumentFragment | null = null;
    let created = 0;
    let complete = true;
    for (const uid of inView) {
      const node = model.get(uid)!;
      const at = positions[uid]!;
      let g = nodes.get(uid);
      if (!g) {
        if (created++ >= CREATE_PER_FRAME) {
          complete = false;
          continue;
        }
        g = createNode(node);
        nodes.set(uid, g);
        (fragment ??= document.createDocumentFragment()).append(g);
      } else updateNode(g, node);
      const transform = `translate(${at.x.toFixed(1)},${at.y.toFixed(1)})`;
      if (g.getAttribute('transform') !== transform) g.setAttribute('transform', transform);
    }
    if (fragment) nodeLayer.append(fragment);
    // Edges whose bounding box meets the view.
    const wantedEdges = new Set<string>();
    fragment = null;
    for (const { parent, child } of edgeList) {
      const a = positions[parent];
      const b = positions[child];
      if (!a || !b) continue;
      if (Math.max(a.x, b.x) + NODE_WIDTH < left || Math.min(a.x, b.x) > right || Math.max(a.y, b.y) + NODE_HEIGHT < top || Math.min(a.y, b.y) > bottom) continue;
      const key = `${parent}>${child}`;
      wantedEdges.add(key);
      const d = edgePath(a, b);
      let path = edges.get(key);
      if (!path) {
        path = svg('path', { d, 'data-parent-uid': parent, 'data-child-uid': child });
        edges.set(key, path);
        (fragment ??= document.createDocumentFragment()).append(path);
      } else if (path.getAttribute('d') !== d) path.setAttribute('d', d);
      path.classList.toggle('near', selected !== null && (parent === selected || child === selected));
    }
    for (const [key, path] of edges) {
      if (!wantedEdges.has(key)) {
        path.remove();
        edges.delete(key);
      }
    }
    if (fragment) edgeLayer.append(fragment);
    return complete;
  }

  function clearDom() {
    nodeLayer.replaceChildren();
    edgeLayer.replaceChildren();
    nodes.clear();
    edges.clear();
  }

  function clearCanvas() {
    canvas.width = 0;
    canvas.height = 0;
  }

  function colourOf(status: JobStatus): string {
    if (!colours) {
      const style = getComputedStyle(document.documentElement);
      colours = {};
      for (const [name, variable] of Object.entries(STATUS_VARS)) colours[name] = style.getPropertyValue(variable).trim() || '#9ca3af';
    }
    return colours[status] ?? '#9ca3af';
  }

  function paintCanvas(width: number, height: number) {
    const ratio = window.devicePixelRatio || 1;
    const w = Math.round(width * ratio);
    const hgt = Math.round(height * ratio);
    if (canvas.width !== w || canvas.height !== hgt) {
      canvas.width = w;
      canvas.height = hgt;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, w, hgt);
    const { x, y, k } = view;
    ctx.setTransform(ratio * k, 0, 0, ratio * k, ratio * x, ratio * y);
    const left = -x / k;
    const top = -y / k;
    const right = (width - x) / k;
    const bottom = (height - y) / k;
    // Edges: one path, straight lines (at this scale a curve is not worth its cost).
    ctx.beginPath();
    for (const { parent, child } of edgeList) {
      const a = positions[parent];
      const b = positions[child];
      if (!a || !b) continue;
      if (Math.max(a.x, b.x) + NODE_WIDTH < left || Math.min(a.x, b.x) > right || Math.max(a.y, b.y) + NODE_HEIGHT < top || Math.min(a.y, b.y) > bottom) continue;
      ctx.moveTo(a.x + NODE_WIDTH / 2, a.y + NODE_HEIGHT);
      ctx.lineTo(b.x + NODE_WIDTH / 2, b.y);
    }
    ctx.strokeStyle = '#94a3b8';
    ctx.lineWidth = Math.max(1, 1 / k);
    ctx.stroke();
    // Jobs: one fill per status.
    const byStatus = new Map<JobStatus, { x: number; y: number }[]>();
    for (const [uid, node] of model) {
      const at = positions[uid];
      if (!at || at.x + NODE_WIDTH < left || at.x > right || at.y + NODE_HEIGHT < top || at.y > bottom) continue;
      let list = byStatus.get(node.status);
      if (!list) byStatus.set(node.status, (list = []));
      list.push(at);
    }
    for (const [status, list] of byStatus) {
      ctx.fillStyle = colourOf(status);
      ctx.beginPath();
      for (const at of list) ctx.rect(at.x, at.y, NODE_WIDTH, NODE_HEIGHT);
      ctx.fill();
    }
    const at = selected ? positions[selected] : undefined;
    if (at) {
      ctx.strokeStyle = '#2563eb';
      ctx.lineWidth = Math.max(4, 3 / k);
      ctx.strokeRect(at.x, at.y, NODE_WIDTH, NODE_HEIGHT);
    }
  }

  function createNode(node: GraphNode): SVGGElement {
    const g = svg('g', { class: 'node', 'data-job-uid': node.uid, 'data-status': node.status, tabindex: 0, role: 'button' });
    g.append(
      svg('rect', { width: NODE_WIDTH, height: NODE_HEIGHT, rx: 6 }),
      svg('rect', { class: 'band', width: 6, height: NODE_HEIGHT, rx: 3 }),
      text('uid', 14, 20, node.uid),
      text('state', NODE_WIDTH - 8, 20, statusLabel(node.status), true),
      text('title', 14, 40, clip(node.title || node.type, 26)),
    );
    g.setAttribute('aria-label', ariaLabel(node));
    const titleTip = svg('title');
    titleTip.textContent = `${node.uid} · ${node.title} · ${node.type}`;
    g.append(titleTip);
    if (node.uid === selected) g.classList.add('selected');
    return g;
  }

  function updateNode(g: SVGGElement, node: GraphNode) {
    if (g.dataset.status !== node.status) paintStatus(g, node);
    const title = g.querySelector('.title');
    const wanted = clip(node.title || node.type, 26);
    if (title && title.textContent !== wanted) title.textContent = wanted;
    g.classList.toggle('selected', node.uid === selected);
  }

  function paintStatus(g: SVGGElement, node: GraphNode) {
    g.dataset.status = node.status;
    const state = g.querySelector('.state');
    if (state) state.textContent = statusLabel(node.status);
    g.setAttribute('aria-label', ariaLabel(node));
  }

  function setStatus(uid: string, status: JobStatus) {
    const node = model.get(uid);
    if (!node) return;
    if (node.status !== status) model.set(uid, (node.status = status, node));
    const g = nodes.get(uid);
    if (g) {
      if (g.dataset.status !== status) paintStatus(g, node);
    } else if (mode === 'canvas') schedule();
  }

  /** The job under a point of the view (client coordinates), for clicks on the canvas. */
  function hit(clientX: number, clientY: number): string | null {
    const rect = root.getBoundingClientRect();
    const gx = (clientX - rect.left - view.x) / view.k;
    const gy = (clientY - rect.top - view.y) / view.k;
    for (const uid of model.keys()) {
      const at = positions[uid];
      if (at && gx >= at.x && gx <= at.x + NODE_WIDTH && gy >= at.y && gy <= at.y + NODE_HEIGHT) return uid;
    }
    return null;
  }

  const uidOf = (target: EventTarget | null) => (target as Element | null)?.closest?.('[data-job-uid]')?.getAttribute('data-job-uid') ?? null;

  // Pan by dragging, zoom with the wheel around the pointer; a drag is not a click.
  let drag: { x: number; y: number; vx: number; vy: number; moved: boolean; id: number } | null = null;
  let suppressClick = false;
  root.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y, moved: false, id: event.pointerId };
  });
  root.addEventListener('pointermove', (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) root.setPointerCapture(event.pointerId);
    drag.moved = true;
    interacted = true;
    view = { ...view, x: drag.vx + dx, y: drag.vy + dy };
    schedule();
  });
  const endDrag = (event: PointerEvent) => {
    if (!drag || event.pointerId !== drag.id) return;
    suppressClick = drag.moved;
    drag = null;
  };
  root.addEventListener('pointerup', endDrag);
  root.addEventListener('pointercancel', endDrag);
  root.addEventListener('click', (event) => {
    if (suppressClick) {
      suppressClick = false;
      return;
    }
    const uid = uidOf(event.target) ?? (mode === 'canvas' ? hit(event.clientX, event.clientY) : null);
    if (uid) onSelect(uid);
  });
  root.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    const uid = uidOf(event.target);
    if (!uid) return;
    event.preventDefault();
    onSelect(uid);
  });
  root.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const rect = root.getBoundingClientRect();
      zoomAt(Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.0015)), event.clientX - rect.left, event.clientY - rect.top);
    },
    { passive: false },
  );
  new ResizeObserver(() => schedule()).observe(container);

  function zoomAt(factor: number, px: number, py: number) {
    interacted = true;
    const k = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.k * factor));
    const ratio = k / view.k;
    view = { k, x: px - (px - view.x) * ratio, y: py - (py - view.y) * ratio };
    schedule();
  }

  const renderer: GraphRenderer = {
    element: root,
    async draw(list, layout) {
      const next = new Map<string, GraphNode>();
      const nextEdges: Edge[] = [];
      for (const node of list) next.set(node.uid, node);
      for (const node of list) for (const parent of node.parents) if (next.has(parent)) nextEdges.push({ parent, child: node.uid });
      model = next;
      edgeList = nextEdges;
      positions = layout.positions;
      size = { width: layout.width, height: layout.height };
      await nextFrame();
    },
    setStatus,
    select(uid) {
      if (selected === uid) return;
      if (selected) nodes.get(selected)?.classList.remove('selected');
      selected = uid;
      if (uid) nodes.get(uid)?.classList.add('selected');
      for (const [key, path] of edges) {
        const [parent, child] = key.split('>');
        path.classList.toggle('near', uid !== null && (parent === uid || child === uid));
      }
      if (mode === 'canvas') schedule();
    },
    centerOn(uid) {
      const at = positions[uid];
      if (!at) return;
      const k = Math.max(view.k, 0.8);
      view = { k, x: root.clientWidth / 2 - (at.x + NODE_WIDTH / 2) * k, y: root.clientHeight / 2 - (at.y + NODE_HEIGHT / 2) * k };
      schedule();
    },
    fit() {
      const width = root.clientWidth || 800;
      const height = root.clientHeight || 600;
      const pad = 24;
      const k = Math.min(1.2, Math.max(MIN_SCALE, Math.min((width - pad * 2) / Math.max(size.width, 1), (height - pad * 2) / Math.max(size.height, 1))));
      view = { k, x: (width - size.width * k) / 2, y: Math.max(pad, (height - size.height * k) / 2) };
      schedule();
    },
    zoomBy(factor) {
      zoomAt(factor, root.clientWidth / 2, root.clientHeight / 2);
    },
    has: (uid) => model.has(uid),
    get interacted() {
      return interacted;
    },
  };
  return renderer;
}

function ariaLabel(node: GraphNode): string {
  return `${node.uid} ${node.title || node.type}, ${node.status.toLowerCase()}`;
}

function edgePath(a: { x: number; y: number }, b: { x: number; y: number }): string {
  const x1 = a.x + NODE_WIDTH / 2;
  const y1 = a.y + NODE_HEIGHT;
  const x2 = b.x + NODE_WIDTH / 2;
  const y2 = b.y;
  const bend = Math.max(20, (y2 - y1) / 2);
  return `M${x1.toFixed(1)},${y1.toFixed(1)}C${x1.toFixed(1)},${(y1 + bend).toFixed(1)} ${x2.toFixed(1)},${(y2 - bend).toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}`;
}

function text(className: string, x: number, y: number, content: string, isStatus = false): SVGTextElement {
  const element = svg('text', { class: className, x, y, ...(isStatus ? { 'text-anchor': 'end', 'data-status-label': '' } : {}) });
  element.textContent = content;
  return element;
}

function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
