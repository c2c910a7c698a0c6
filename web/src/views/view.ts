import type { StatusEvent } from '../live.js';
import type { Route } from '../router.js';

/** A page of the app: its element, what it does with live events, and a route change it may take in place. */
export interface View {
  readonly element: HTMLElement;
  onEvent(event: StatusEvent): void;
  /** Called after a live reconnect: missed events are replayed when `resumed`, otherwise the view reads its data again. */
  onReconnected?(resumed: boolean): void;
  /** Takes a new route without being rebuilt; false when it cannot (then a new view is made). */
  update?(route: Route): boolean;
  dispose(): void;
}
