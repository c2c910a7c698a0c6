import { BadCursorError } from '../model/errors.js';

const PREFIX = 'jobgraph-event:';

/** Opaque cursor of a status event: clients store it and pass it back as `since`. */
export function encodeEventCursor(seq: number): string {
  return Buffer.from(`${PREFIX}${seq}`).toString('base64url');
}

export function decodeEventCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const seq = text.startsWith(PREFIX) ? Number(text.slice(PREFIX.length)) : Number.NaN;
  if (!Number.isSafeInteger(seq) || seq < 0 || encodeEventCursor(seq) !== cursor) {
    throw new BadCursorError(`"${cursor.slice(0, 40)}" is not an event cursor; pass the \`cursor\` of the last event you received.`);
  }
  return seq;
}
