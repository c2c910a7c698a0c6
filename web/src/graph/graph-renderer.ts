/**
 * Draws a laid-out job graph as SVG: one `<g data-job-uid data-status>` per
 * job, one path per edge, inside one transformed group for pan and zoom.
 * Positions come from the layout; a status change only touches the node's
 * attributes (CSS colours it), never the layout. Large graphs are attached a
 * slice per task, so the main thread never stalls, and their text is hidden
 * while zoomed far out.
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
  /** Nodes attached per task while drawing a large graph. @default 600 */
  sliceSize?: number;
}

export interface GraphRenderer {
  readonly element: SVGSVGElement;
  /** Draws these nodes at these positions (existing nodes move, new ones appear, missing ones go); resolves once all are attached. */
  draw(nodes: readonly GraphNode[], layout: LayoutResult): Promise<void>;
  setStatus(uid: string, status: JobStatus): void;
  select(uid: string | null): void;
  centerOn(uid: string): void;
  fit(): void;
  zoomBy(factor: number): void;
  has(uid: string): boolean;
}

export const NODE_WIDTH = 176;
export const NODE_HEIGHT = 52;
const FAR_SCALE = 0.3;
const MIN_SCALE = 0.005;
const MAX_SCALE = 2.5;

const yieldToBrowser = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function createGraphRenderer(container: HTMLElement, { onSelect, sliceSize = 600 }: GraphRendererOptions): GraphRenderer {
  const root = svg('svg', { class: 'graph-svg', role: 'group', 'aria-label': 'job graph' });
  const scene = svg('g', { class: 'scene' });
  const edgeLayer = svg('g', { class: 'edges' });
  const nodeLayer = svg('g', { class: 'nodes' });
  scene.append(edgeLayer, nodeLayer);
  root.append(scene);
  container.append(root);

  const nodes = new Map<string, SVGGElement>();
  const edges = new Map<string, SVGPathElement>();
  let positions: LayoutResult['positions'] = {};
  let size = { width: 0, height: 0 };
  let view = { x: 0, y: 0, k: 1 };
  let selected: string | null = null;
  let frame = 0;
  let generation = 0;

  const apply = () => {
    frame = 0;
    scene.setAttribute('transform', `translate(${view.x},${view.y}) scale(${view.k})`);
    root.classList.toggle('far', view.k < FAR_SCALE);
  };
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(apply);
  };

  function createNode(node: GraphNode): SVGGElement {
    const g = svg('g', { class: 'node', 'data-job-uid': node.uid, 'data-status': node.status, tabindex: 0, role: 'button' });
    g.append(
      svg('rect', { width: NODE_WIDTH, height: NODE_HEIGHT, rx: 6 }),
      svg('rect', { class: 'band', width: 6, height: NODE_HEIGHT, rx: 3 }),
      text('uid', 14, 20, node.uid),
      text('state', NODE_WIDTH - 8, 20, statusLabel(node.status), true),
      text('title', 14, 40, clip(node.title || node.type, 26)),
    );
    g.setAttribute('aria-label', `${node.uid} ${node.title || node.type}, ${node.status.toLowerCase()}`);
    const titleTip = svg('title');
    titleTip.textContent = `${node.uid} · ${node.title} · ${node.type}`;
    g.append(titleTip);
    return g;
  }

  function updateNode(g: SVGGElement, node: GraphNode) {
    if (g.dataset.status !== node.status) setStatus(node.uid, node.status);
    const title = g.querySelector('.title');
    const wanted = clip(node.title || node.type, 26);
    if (title && title.textContent !== wanted) title.textContent = wanted;
  }

  function edgePath(parent: string, child: string): string | undefined {
    const a = positions[parent];
    const b = positions[child];
    if (!a || !b) return undefined;
    const x1 = a.x + NODE_WIDTH / 2;
    const y1 = a.y + NODE_HEIGHT;
    const x2 = b.x + NODE_WIDTH / 2;
    const y2 = b.y;
    const bend = Math.max(20, (y2 - y1) / 2);
    return `M${x1.toFixed(1)},${y1.toFixed(1)}C${x1.toFixed(1)},${(y1 + bend).toFixed(1)} ${x2.toFixed(1)},${(y2 - bend).toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}`;
  }

  function setStatus(uid: string, status: JobStatus) {
    const g = nodes.get(uid);
    if (!g || g.dataset.status === status) return;
    g.dataset.status = status;
    const state = g.querySelector('.state');
    if (state) state.textContent = statusLabel(status);
    const label = g.getAttribute('aria-label') ?? '';
    g.setAttribute('aria-label', label.replace(/, [a-z]+$/, `, ${status.toLowerCase()}`));
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
    const uid = uidOf(event.target);
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

  function zoomAt(factor: number, px: number, py: number) {
    const k = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.k * factor));
    const ratio = k / view.k;
    view = { k, x: px - (px - view.x) * ratio, y: py - (py - view.y) * ratio };
    schedule();
  }

  const renderer: GraphRenderer = {
    element: root,
    async draw(list, layout) {
      const mine = ++generation;
      positions = layout.positions;
      size = { width: layout.width, height: layout.height };
      const wanted = new Set(list.map((node) => node.uid));
      for (const [uid, g] of nodes) {
        if (!wanted.has(uid)) {
          g.remove();
          nodes.delete(uid);
        }
      }
      // Edges first (drawn under the nodes), then nodes, a slice per task.
      const wantedEdges = new Set<string>();
      let fragment = document.createDocumentFragment();
      for (const node of list) {
        for (const parent of node.parents) {
          if (!wanted.has(parent)) continue;
          const key = `${parent}>${node.uid}`;
          wantedEdges.add(key);
          const d = edgePath(parent, node.uid);
          if (!d) continue;
          const path = edges.get(key);
          if (path) path.setAttribute('d', d);
          else {
            const created = svg('path', { d, 'data-parent-uid': parent, 'data-child-uid': node.uid });
            edges.set(key, created);
            fragment.append(created);
          }
        }
      }
      for (const [key, path] of edges) {
        if (!wantedEdges.has(key)) {
          path.remove();
          edges.delete(key);
        }
      }
      edgeLayer.append(fragment);
      fragment = document.createDocumentFragment();
      let count = 0;
      for (const node of list) {
        const at = positions[node.uid];
        if (!at) continue;
        let g = nodes.get(node.uid);
        if (g) updateNode(g, node);
        else {
          g = createNode(node);
          nodes.set(node.uid, g);
          fragment.append(g);
        }
        g.setAttribute('transform', `translate(${at.x.toFixed(1)},${at.y.toFixed(1)})`);
        if (++count % sliceSize === 0) {
          nodeLayer.append(fragment);
          fragment = document.createDocumentFragment();
          await yieldToBrowser();
          if (mine !== generation) return;
        }
      }
      nodeLayer.append(fragment);
      if (selected) renderer.select(selected);
    },
    setStatus,
    select(uid) {
      if (selected) nodes.get(selected)?.classList.remove('selected');
      selected = uid;
      const g = uid ? nodes.get(uid) : undefined;
      g?.classList.add('selected');
      for (const path of edgeLayer.querySelectorAll('.near')) path.classList.remove('near');
      if (uid) for (const path of edgeLayer.querySelectorAll(`[data-parent-uid="${CSS.escape(uid)}"],[data-child-uid="${CSS.escape(uid)}"]`)) path.classList.add('near');
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
    has: (uid) => nodes.has(uid),
  };
  return renderer;
}

function text(className: string, x: number, y: number, content: string, isStatus = false): SVGTextElement {
  const element = svg('text', { class: className, x, y, ...(isStatus ? { 'text-anchor': 'end', 'data-status-label': '' } : {}) });
  element.textContent = content;
  return element;
}

function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
