import { describe, expect, it } from 'vitest';
import {
  BadCursorError,
  BadInputError,
  ForbiddenError,
  InvalidDocumentError,
  InvalidTransitionError,
  JobgraphError,
  NotFoundError,
  PageSizeError,
  UnavailableError,
  isJobgraphError,
} from '../../src/model/errors.js';

describe('jobgraph errors', () => {
  it('carry their stable codes and class names', () => {
    const cases = [
      [new NotFoundError('x'), 'NOT_FOUND', 'NotFoundError'],
      [new InvalidTransitionError('x'), 'INVALID_TRANSITION', 'InvalidTransitionError'],
      [new BadCursorError('x'), 'BAD_CURSOR', 'BadCursorError'],
      [new BadInputError('x'), 'BAD_USER_INPUT', 'BadInputError'],
      [new ForbiddenError('x'), 'FORBIDDEN', 'ForbiddenError'],
      [new PageSizeError('x'), 'PAGE_SIZE_EXCEEDED', 'PageSizeError'],
      [new InvalidDocumentError('x', []), 'INVALID_DOCUMENT', 'InvalidDocumentError'],
      [new UnavailableError('x'), 'SERVICE_UNAVAILABLE', 'UnavailableError'],
    ] as const;
    for (const [error, code, name] of cases) {
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
      expect(error).toBeInstanceOf(JobgraphError);
      expect(error).toBeInstanceOf(Error);
      expect(isJobgraphError(error)).toBe(true);
    }
  });

  it('keep details and cause', () => {
    const cause = new Error('socket closed');
    const error = new NotFoundError('job P1/J9 not found', { details: { projectUid: 'P1', uid: 'J9' }, cause });
    expect(error.details).toEqual({ projectUid: 'P1', uid: 'J9' });
    expect(error.cause).toBe(cause);
  });

  it('give an invalid document its issue lines', () => {
    const error = new InvalidDocumentError('J1/job.json is not a job', ['uid: expected string, received number']);
    expect(error.issues).toEqual(['uid: expected string, received number']);
    expect(error.details).toEqual({ issues: ['uid: expected string, received number'] });
  });

  it('are not confused with other errors', () => {
    expect(isJobgraphError(new Error('boom'))).toBe(false);
    expect(isJobgraphError({ code: 'NOT_FOUND', message: 'x' })).toBe(false);
  });
});
