import { BadInputError } from './errors.js';

/** UID prefixes: project `P`, workspace `W`, job `J`, Live session `S`. */
export type UidPrefix = 'P' | 'W' | 'J' | 'S';

/** `J42` style job UID. */
export const JOB_UID_PATTERN = /^J\d+$/;
/** `P3` style project UID. */
export const PROJECT_UID_PATTERN = /^P\d+$/;
/** `W1` style workspace UID. */
export const WORKSPACE_UID_PATTERN = /^W\d+$/;
/** `S2` style Live session UID. */
export const SESSION_UID_PATTERN = /^S\d+$/;

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
 * The number in a UID: `parseUidNumber('J42', 'J')` is 42.
 * @throws BadInputError when `uid` is not `<prefix><digits>`.
 */
export function parseUidNumber(uid: string, prefix: UidPrefix): number {
  if (!PATTERNS[prefix].test(uid)) {
    throw new BadInputError(`"${uid}" is not a ${describeUid(prefix)}`, { details: { uid, prefix } });
  }
  return Number(uid.slice(1));
}

/**
 * The UID for a number: `formatUid('P', 3)` is `P3`.
 * @throws BadInputError when `n` is not a non-negative safe integer.
 */
export function formatUid(prefix: UidPrefix, n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new BadInputError(`${n} is not a valid ${KINDS[prefix]} number`, { details: { prefix, n } });
  }
  return `${prefix}${n}`;
}

/** True for `J<digits>`. */
export function isJobUid(value: unknown): value is string {
  return typeof value === 'string' && JOB_UID_PATTERN.test(value);
}

/** True for `P<digits>`. */
export function isProjectUid(value: unknown): value is string {
  return typeof value === 'string' && PROJECT_UID_PATTERN.test(value);
}

/** True for `W<digits>`. */
export function isWorkspaceUid(value: unknown): value is string {
  return typeof value === 'string' && WORKSPACE_UID_PATTERN.test(value);
}
