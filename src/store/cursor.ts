import { z } from 'zod';
import { BadCursorError } from '../model/errors.js';

/**
 * Cursors are opaque to clients: base64url of `{s, k}` where `s` names the sort
 * the cursor was made for and `k` holds the sort-key values of the row. A
 * cursor made for one ordering is rejected under another rather than silently
 * paging wrong.
 */
const cursorSchema = z.object({
  s: z.string(),
  k: z.array(z.union([z.string(), z.number()])).min(1),
});

export type CursorKey = (string | number)[];

export function encodeCursor(sortId: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify({ s: sortId, k: key })).toString('base64url');
}

/** An edge of a page whose cursor is encoded only if read: most queries never select `cursor`. */
export class PageEdge<T> {
  #cursor: string | undefined;
  constructor(
    readonly node: T,
    private readonly sortId: string,
    private readonly key: () => CursorKey,
  ) {}

  get cursor(): string {
    return (this.#cursor ??= encodeCursor(this.sortId, this.key()));
  }
}

/** A lineage edge: a page edge with its distance from the root. */
export class LineageEdge<T> extends PageEdge<T> {
  constructor(
    node: T,
    readonly depth: number,
    sortId: string,
    num: number,
  ) {
    super(node, sortId, () => [depth, num]);
  }
}

export function decodeCursor(cursor: string, sortId: string, arity: number): CursorKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursorError(`Cursor "${truncate(cursor)}" is not a cursor this server issued.`);
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success || result.data.k.length !== arity) {
    throw new BadCursorError(`Cursor "${truncate(cursor)}" is not a cursor this server issued.`);
  }
  if (result.data.s !== sortId) {
    throw new BadCursorError('Cursor was issued for a different ordering; request the first page again with this orderBy.');
  }
  return result.data.k;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
