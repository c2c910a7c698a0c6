/** Runs layouts in the layout worker; the latest request wins (an older answer still resolves, the caller checks). */
import type { LayoutInput, LayoutResult } from './layered-layout.js';
import type { LayoutRequest, LayoutResponse } from './layout-worker.js';

export interface LayoutClient {
  layout(input: LayoutInput): Promise<LayoutResult>;
  terminate(): void;
}

export function createLayoutClient(workerUrl: string): LayoutClient {
  const worker = new Worker(workerUrl, { type: 'module', name: 'layout' });
  const pending = new Map<number, { resolve(result: LayoutResult): void; reject(error: Error): void }>();
  let next = 1;
  worker.onmessage = ({ data }: MessageEvent<LayoutResponse>) => {
    const waiting = pending.get(data.id);
    pending.delete(data.id);
    if (!waiting) return;
    if (data.ok) waiting.resolve(data.result);
    else waiting.reject(new Error(`layout failed: ${data.message}`));
  };
  return {
    layout(input) {
      const id = next++;
      const message: LayoutRequest = { id, nodes: input.nodes, edges: input.edges };
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage(message);
      });
    },
    terminate: () => worker.terminate(),
  };
}
