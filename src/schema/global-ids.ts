import { BadInputError } from '../model/errors.js';
import { isCanonicalUid } from '../model/uid.js';

/** Local ids of the types that implement `Node`, by type: what `node(id:)` may be asked for. */
const LOCAL_IDS: Readonly<Record<string, (id: string) => boolean>> = {
  Project: (id) => isCanonicalUid(id, 'P'),
  Workspace: (id) => pair(id, 'W'),
  Job: (id) => pair(id, 'J'),
};

/** `P3/J42` (or `P3/W2`): a canonical project uid, a slash, a canonical uid of the kind. */
function pair(id: string, prefix: 'J' | 'W'): boolean {
  const slash = id.indexOf('/');
  return slash > 0 && isCanonicalUid(id.slice(0, slash), 'P') && isCanonicalUid(id.slice(slash + 1), prefix);
}

/**
 * Reads a global id as issued by this server: base64 of `Type:localId`, for a
 * type that implements `Node` and a local id of its form. Anything else is
 * `BAD_USER_INPUT`; a well-formed id of an object that does not exist is not
 * an error (`node` answers null).
 */
export function decodeGlobalId(globalId: string): { typename: string; id: string } {
  const text = Buffer.from(globalId, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  const typename = text.slice(0, colon);
  const id = text.slice(colon + 1);
  // Re-encoding gives back the id only for canonical base64 of valid UTF-8.
  const valid = colon > 0 && Buffer.from(text, 'utf8').toString('base64') === globalId && LOCAL_IDS[typename]?.(id) === true;
  if (!valid) {
    const shown = JSON.stringify(globalId.length > 60 ? `${globalId.slice(0, 60)}…` : globalId);
    throw new BadInputError(`${shown} is not a global id issued by this server: pass the \`id\` of a Job, Project or Workspace.`, {
      details: { id: globalId.length > 60 ? `${globalId.slice(0, 60)}…` : globalId },
    });
  }
  return { typename, id };
}
