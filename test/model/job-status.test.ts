import { describe, expect, it } from 'vitest';
import { InvalidTransitionError, isJobgraphError } from '../../src/model/errors.js';
import {
  ACTIVE_STATUSES,
  ALLOWED_TRANSITIONS,
  JOB_STATUSES,
  TERMINAL_STATUSES,
  assertTransition,
  canTransition,
  isJobStatus,
  type JobStatus,
} from '../../src/model/job-status.js';

/** The lifecycle written out independently of the implementation, one command per line. */
const EXPECTED: readonly (readonly [JobStatus, JobStatus])[] = [
  ['building', 'queued'], // queue
  ['queued', 'launched'], // scheduler
  ['launched', 'started'],
  ['started', 'running'],
  ['running', 'waiting'],
  ['waiting', 'running'],
  ...(['queued', 'launched', 'started', 'running', 'waiting'] as const).map((s) => [s, 'killed'] as const), // kill
  ...(['launched', 'started', 'running', 'waiting'] as const).map((s) => [s, 'failed'] as const), // fail
  ['running', 'completed'], // complete
  ['waiting', 'completed'],
  ['killed', 'completed'], // mark_completed
  ['failed', 'completed'],
  ...(['queued', 'completed', 'killed', 'failed'] as const).map((s) => [s, 'building'] as const), // clear
];

describe('job statuses', () => {
  it('are the nine CryoSPARC statuses in order', () => {
    expect(JOB_STATUSES).toEqual(['building', 'queued', 'launched', 'started', 'running', 'waiting', 'completed', 'killed', 'failed']);
    expect(TERMINAL_STATUSES).toEqual(['completed', 'killed', 'failed']);
    expect(ACTIVE_STATUSES).toEqual(['running', 'waiting']);
  });

  it('are recognised by isJobStatus', () => {
    expect(isJobStatus('waiting')).toBe(true);
    expect(isJobStatus('done')).toBe(false);
    expect(isJobStatus(4)).toBe(false);
  });
});

describe('the transition table', () => {
  it('allows exactly the documented transitions among all 81 pairs', () => {
    const allowed = new Set(EXPECTED.map(([from, to]) => `${from}->${to}`));
    for (const from of JOB_STATUSES) {
      for (const to of JOB_STATUSES) {
        expect(canTransition(from, to), `${from}->${to}`).toBe(allowed.has(`${from}->${to}`));
      }
    }
    expect(Object.values(ALLOWED_TRANSITIONS).flat()).toHaveLength(EXPECTED.length);
  });

  it('lets assertTransition pass every allowed pair', () => {
    for (const [from, to] of EXPECTED) expect(() => assertTransition(from, to)).not.toThrow();
  });

  it('rejects completed -> running with INVALID_TRANSITION, naming both statuses and the allowed targets', () => {
    let caught: unknown;
    try {
      assertTransition('completed', 'running');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidTransitionError);
    expect(isJobgraphError(caught)).toBe(true);
    const error = caught as InvalidTransitionError;
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.message).toContain('"completed"');
    expect(error.message).toContain('"running"');
    expect(error.message).toContain('building');
    expect(error.details).toEqual({ from: 'completed', to: 'running', allowed: ['building'] });
  });

  it('does not let a building job skip the queue', () => {
    expect(canTransition('building', 'running')).toBe(false);
    expect(() => assertTransition('building', 'running')).toThrow(InvalidTransitionError);
  });

  it('never allows a status to transition to itself', () => {
    for (const status of JOB_STATUSES) expect(canTransition(status, status)).toBe(false);
  });
});
