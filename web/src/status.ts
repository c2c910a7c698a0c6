import type { JobStatus } from '../gql/graphql.js';

/** Every status in lifecycle order, with the words and the glyph shown beside its colour (colour is never the only cue). */
export const STATUSES: readonly JobStatus[] = ['BUILDING', 'QUEUED', 'LAUNCHED', 'STARTED', 'RUNNING', 'WAITING', 'COMPLETED', 'KILLED', 'FAILED'];

const GLYPHS: Record<JobStatus, string> = {
  BUILDING: '✎',
  QUEUED: '⋯',
  LAUNCHED: '↗',
  STARTED: '◔',
  RUNNING: '▶',
  WAITING: '⏸',
  COMPLETED: '✓',
  KILLED: '■',
  FAILED: '✕',
};

export function statusWord(status: JobStatus): string {
  return status.toLowerCase();
}

export function statusLabel(status: JobStatus): string {
  return `${GLYPHS[status]} ${statusWord(status)}`;
}

export function isJobStatus(value: string): value is JobStatus {
  return (STATUSES as readonly string[]).includes(value);
}
