import { BadInputError } from './errors.js';

/** UID prefixes: project `P`, workspace `W`, job `J`, Live session `S`. */
export type UidPrefix = 'P' | 'W' | 'J' | 'S';

/**
 * The largest number a uid may carry: uid numbers are stored and served as
 * 32-bit integers (`uidNum: Int`), so anything larger could be stored but
 * never read back.
 */
export const MAX_UID_NUMBER = 2 ** 31 - 1;

// Canonical form only: one spelling per number (`J01` would be a second name for J1).
/** `J42` style job UID, without leading zeros (see also {@link MAX_UID_NUMBER}). */
export const JOB_UID_PATTERN = /^J(?:0|[1-9]\d{0,9})$/;
/** `P3` style project UID. */
export const PROJECT_UID_PATTERN = /^P(?:0|[1-9]\d{0,9})$/;
/** `W1` style workspace UID. */
export const WORKSPACE_UID_PATTERN = /^W(?:0|[1-9]\d{0,9})$/;
/** `S2` style Live session UID. */
export const SESSION_UID_PATTERN = /^S(?:0|[1-9]\d{0,9})$/;

const PATTERNS: Readonly<Record<UidPrefix, RegExp>> = {
  P: PROJECT_UID_PATTERN,
  W: WORKSPACE_UID_PATTERN,
  J: JOB_UID_PATTERN,
  S: SESSION_UID_PATTERN,
};

const KINDS: Readonly<Record<UidPrefix, string>> = { P: 'project', W: 'workspace', J: 'job', S: 'session' };

/** Human description of a UID format, used in validation messages: `job uid like J42`. */
export function describeUid(prefix: UidPrefix): string {
  return `${KINDS[prefix]} uid like ${prefix}42`;
}

/**
 * True when `value` is the one canonical spelling of a uid of this kind:
 * the prefix, then a number without leading zeros up to {@link MAX_UID_NUMBER}.
 */
export function isCanonicalUid(value: unknown, prefix: UidPrefix): value is string {
  return typeof value === 'string' && PATTERNS[prefix].test(value) && Number(value.slice(1)) <= MAX_UID_NUMBER;
}

/**
 * The number in a UID: `parseUidNumber('J42', 'J')` is 42.
 * @throws BadInputError when `uid` is not `<prefix><digits>`.
 */
export function parseUidNumber(uid: string, prefix: UidPrefix): number {
  if (!isCanonicalUid(uid, prefix)) {
    throw new BadInputError(`"${uid}" is not a ${describeUid(prefix)}`, { details: { uid, prefix } });
  }
  return Number(uid.slice(1));
}

/**
 * The UID for a number: `formatUid('P', 3)` is `P3`.
 * @throws BadInputError when `n` is not a non-negative safe integer.
 */
export function formatUid(prefix: UidPrefix, n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_UID_NUMBER) {
    throw new BadInputError(`${n} is not a valid ${KINDS[prefix]} number`, { details: { prefix, n } });
  }
  return `${prefix}${n}`;
}

/** True for a canonical `J<number>`. */
export function isJobUid(value: unknown): value is string {
  return isCanonicalUid(value, 'J');
}

/** True for a canonical `P<number>`. */
export function isProjectUid(value: unknown): value is string {
  return isCanonicalUid(value, 'P');
}

/** True for a canonical `W<number>`. */
export function isWorkspaceUid(value: unknown): value is string {
  return isCanonicalUid(value, 'W');
}
