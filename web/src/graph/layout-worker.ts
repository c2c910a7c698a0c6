/**
 * The layout, off the main thread: jobs and edges in, positions out.
 *
 * Measured before choosing (layered-layout.ts says more): elkjs (layered)
 * takes ~3 s for a 60-job project in a cold Chromium worker and 12–20 s for
 * 2,000–5,000 real jobs, and weighs 475 KB gzipped; @dagrejs/dagre 3.1 takes
 * 7.6 s for 2,000 and 85 s for 5,000 seeded jobs in a Chromium worker;
 * layered-layout.ts does them in 0.1 s.
 */
import { type LayoutInput, type LayoutResult, layeredLayout } from './layered-layout.js';

export interface LayoutRequest extends LayoutInput {
  id: number;
}

export type LayoutResponse = { id: number; ok: true; result: LayoutResult; ms: number } | { id: number; ok: false; message: string };

const scope = self as unknown as { onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null; postMessage(message: LayoutResponse): void };

scope.onmessage = ({ data }) => {
  const started = performance.now();
  try {
    scope.postMessage({ id: data.id, ok: true, result: layeredLayout(data), ms: performance.now() - started });
  } catch (error) {
    scope.postMessage({ id: data.id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
};
