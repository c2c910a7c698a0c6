import type { JobStatus } from '../gql/graphql.js';
import { statusLabel } from './status.js';

/**
 * Every element the app renders for a job carries `data-job-uid` and
 * `data-status`; a child marked `data-status-label` shows the status in words.
 * This sets them all at once, so that all elements of one job agree.
 */
export function showJobStatus(root: ParentNode, uid: string, status: JobStatus): void {
  for (const element of root.querySelectorAll<HTMLElement | SVGElement>(`[data-job-uid="${CSS.escape(uid)}"]`)) {
    if (element.dataset.status === status) continue;
    element.dataset.status = status;
    for (const label of element.querySelectorAll('[data-status-label]')) label.textContent = statusLabel(status);
    if (element.matches('[data-status-label]')) element.textContent = statusLabel(status);
  }
}
