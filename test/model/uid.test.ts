import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../src/model/errors.js';
import { formatUid, isJobUid, isProjectUid, isWorkspaceUid, parseUidNumber } from '../../src/model/uid.js';

describe('uids', () => {
  it('parse to their number', () => {
    expect(parseUidNumber('J42', 'J')).toBe(42);
    expect(parseUidNumber('P3', 'P')).toBe(3);
    expect(parseUidNumber('W1', 'W')).toBe(1);
    expect(parseUidNumber('S12', 'S')).toBe(12);
  });

  it('throw BadInputError for a wrong prefix or a malformed uid', () => {
    for (const [uid, prefix] of [['P42', 'J'], ['J', 'J'], ['J4x', 'J'], [' J4', 'J'], ['j4', 'J']] as const) {
      expect(() => parseUidNumber(uid, prefix), uid).toThrow(BadInputError);
    }
    expect(() => parseUidNumber('X1', 'P')).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', message: expect.stringContaining('project uid like P42') }),
    );
  });

  it('format from a prefix and a number, and refuse non-integers', () => {
    expect(formatUid('P', 3)).toBe('P3');
    expect(formatUid('J', 0)).toBe('J0');
    expect(() => formatUid('J', -1)).toThrow(BadInputError);
    expect(() => formatUid('J', 1.5)).toThrow(BadInputError);
    expect(parseUidNumber(formatUid('W', 17), 'W')).toBe(17);
  });

  it('have one canonical spelling: no leading zeros, no number above 2^31 - 1', () => {
    for (const uid of ['J01', 'J00', 'J2147483648', 'J99999999999999999999', 'J+1', 'J1e3', 'J１']) {
      expect(isJobUid(uid), uid).toBe(false);
      expect(() => parseUidNumber(uid, 'J'), uid).toThrow(BadInputError);
    }
    expect(parseUidNumber('J2147483647', 'J')).toBe(2147483647);
    expect(isJobUid('J0')).toBe(true);
    expect(() => formatUid('J', 2 ** 31)).toThrow(BadInputError);
  });

  it('are told apart by the guards', () => {
    expect([isJobUid('J42'), isJobUid('P42'), isJobUid(42), isJobUid('J42a')]).toEqual([true, false, false, false]);
    expect([isProjectUid('P3'), isProjectUid('W3')]).toEqual([true, false]);
    expect([isWorkspaceUid('W1'), isWorkspaceUid('S1')]).toEqual([true, false]);
  });
});
