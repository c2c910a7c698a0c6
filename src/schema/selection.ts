import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  Kind,
} from 'graphql';
import type { JobReadOptions } from '../store/job-store.js';
import type { JobColumn } from '../store/lazy-job.js';

/**
 * Job fields answered from the job's columns (store/lazy-job.ts), with the
 * columns each reads besides the key (project uid and uid, always read).
 * Reading only these, a job is fetched without its ~9 KB document, and
 * without the columns nobody asked for.
 */
export const JOB_FIELD_COLUMNS: ReadonlyMap<string, readonly JobColumn[]> = new Map<string, readonly JobColumn[]>([
  ['__typename', []],
  ['id', []],
  ['uid', []],
  ['projectUid', []],
  ['uidNum', ['uid_num']],
  ['projectUidNum', ['project_uid_num']],
  ['title', ['title']],
  ['status', ['status']],
  ['priority', ['priority']],
  ['type', ['type']],
  ['category', ['type']],
  ['createdAt', ['created_at']],
  ['updatedAt', ['updated_at']],
  ['queuedAt', ['queued_at']],
  ['launchedAt', ['launched_at']],
  ['startedAt', ['started_at']],
  ['runningAt', ['running_at']],
  ['waitingAt', ['waiting_at']],
  ['completedAt', ['completed_at']],
  ['failedAt', ['failed_at']],
  ['killedAt', ['killed_at']],
  ['hasError', ['error_logged']],
  ['deleted', ['deleted']],
  // Fields with resolvers of their own that need only the job's key.
  ['parents', []],
  ['children', []],
  ['childUids', []],
  ['ancestors', []],
  ['descendants', []],
  ['project', []],
]);

const JOB_TYPE = 'Job';

/** What the jobs a field returns are read for: their document, or these columns only. */
export type JobRead = { document: true } | { document: false; columns: readonly JobColumn[] };

const DOCUMENT: JobRead = { document: true };

/**
 * What the jobs this field returns — directly, or inside the connections,
 * edges and graphs it returns — are read for. Fragments are followed;
 * `@skip`/`@include` are not evaluated (a conditional field counts as read),
 * and any field of an abstract type that could be a Job but `id` counts as
 * reading the document. The answer depends on the document only, so it is
 * worked out once per field of each parsed document.
 */
export function jobReadOf(info: GraphQLResolveInfo): JobRead {
  const node = info.fieldNodes[0]!;
  let known = cache.get(node);
  if (known === undefined) {
    known = jobReadOfNodes(info, getNamedType(info.returnType), info.fieldNodes);
    cache.set(node, known);
  }
  return known;
}

/** What the jobs returned by these (merged) field nodes of a field of type `type` are read for. */
function jobReadOfNodes(info: Pick<GraphQLResolveInfo, 'schema' | 'fragments'>, type: GraphQLNamedType, nodes: readonly FieldNode[]): JobRead {
  const columns = new Set<JobColumn>();
  const readsDocument = nodes.some((field) => field.selectionSet !== undefined && collect(info.schema, info.fragments, type, field.selectionSet, columns, new Set()));
  return readsDocument ? DOCUMENT : { document: false, columns: [...columns].sort() };
}

const readOptions = new WeakMap<JobRead, JobReadOptions>();

/** The store's read options for a {@link JobRead}: one object per read, so that loaders key it once. */
export function readOptionsOf(read: JobRead): JobReadOptions {
  let options = readOptions.get(read);
  if (!options) readOptions.set(read, (options = read.document ? {} : { columnsOnly: read.columns }));
  return options;
}

/** {@link jobReadOf} as the store's read options. */
export function jobReadOptions(info: GraphQLResolveInfo): JobReadOptions {
  return readOptionsOf(jobReadOf(info));
}

const cache = new WeakMap<object, JobRead>();

/** Adds the columns the selection reads of Jobs to `columns`; returns true as soon as it reads a document field. */
function collect(
  schema: GraphQLSchema,
  fragments: Record<string, FragmentDefinitionNode>,
  type: GraphQLNamedType,
  selectionSet: SelectionSetNode,
  columns: Set<JobColumn>,
  visiting: Set<string>,
): boolean {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (type.name === JOB_TYPE) {
        const read = JOB_FIELD_COLUMNS.get(name);
        if (!read) return true;
        for (const column of read) columns.add(column);
        continue;
      }
      if (isAbstractType(type)) {
        // `node(id:)`, `... on Node { id }`: a Job might be behind it. Only the shared id is free.
        if (name === '__typename' || name === 'id') continue;
        if (schema.getPossibleTypes(type).some((t) => t.name === JOB_TYPE)) return true;
        continue;
      }
      if (!selection.selectionSet || !(isObjectType(type) || isInterfaceType(type))) continue;
      const field = type.getFields()[name];
      if (field && collect(schema, fragments, getNamedType(field.type), selection.selectionSet, columns, visiting)) return true;
    } else {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments[selection.name.value] : selection;
      if (!fragment) continue;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        // A fragment read once on a type adds nothing the second time (and cannot loop).
        const key = `${selection.name.value}@${type.name}`;
        if (visiting.has(key)) continue;
        visiting.add(key);
      }
      // On a Job, any fragment that applies (on Job, on Node) selects Job fields; elsewhere its condition narrows the type.
      const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : undefined;
      const inner = type.name === JOB_TYPE ? type : (condition ?? type);
      if (collect(schema, fragments, inner, fragment.selectionSet, columns, visiting)) return true;
    }
  }
  return false;
}

/** What a page of jobs can read in its own statement (store `PageExtras`), as its selection shows. */
export interface PageLookAhead {
  /** `totalCount` is selected. */
  totalCount: boolean;
  /** Columns of the `parents` / `children` of the page's nodes, where each is selected under one name and reads columns only. */
  neighbours: { parents?: readonly JobColumn[]; children?: readonly JobColumn[] };
}

const NEIGHBOUR_FIELDS = ['parents', 'children'] as const;

/**
 * Looks into a job connection's selection (`totalCount`, `edges { node {
 * parents children } }`, through fragments) for what the page's statement
 * can read at once. A side is read ahead only when it is selected under one
 * response name, so that the read worked out here is the one its resolver
 * will work out ({@link jobReadOf} over the same field nodes); otherwise its
 * loader reads it as before. Worked out once per field of each parsed document.
 */
export function pageLookAhead(info: GraphQLResolveInfo): PageLookAhead {
  const node = info.fieldNodes[0]!;
  let known = lookAheadCache.get(node);
  if (known === undefined) {
    const found = lookIntoConnection(info, info.fieldNodes);
    const neighbours: PageLookAhead['neighbours'] = {};
    for (const side of NEIGHBOUR_FIELDS) {
      const names = found[side];
      if (names.size !== 1) continue;
      const [nodes] = names.values();
      const read = jobReadOfNodes(info, info.schema.getType(JOB_TYPE)!, nodes!);
      if (!read.document) neighbours[side] = read.columns;
    }
    known = { totalCount: found.totalCount, neighbours };
    lookAheadCache.set(node, known);
  }
  return known;
}

const lookAheadCache = new WeakMap<object, PageLookAhead>();

/** What the selections of a connection's (merged) field nodes ask for. */
function lookIntoConnection(info: GraphQLResolveInfo, nodes: readonly FieldNode[]): Found {
  const found: Found = { totalCount: false, parents: new Map(), children: new Map() };
  for (const field of nodes) if (field.selectionSet) walkConnection(info, field.selectionSet, found);
  return found;
}

/** Field nodes of `parents` and `children` under the page's nodes, by response name. */
interface Found {
  totalCount: boolean;
  parents: Map<string, FieldNode[]>;
  children: Map<string, FieldNode[]>;
}

/**
 * Visits the fields of `selectionSet`, fragments included (each named one
 * once). Their type conditions are not looked at: on a concrete type, as
 * here, validation lets through only fragments that apply.
 */
function eachField(info: GraphQLResolveInfo, selectionSet: SelectionSetNode, visit: (field: FieldNode) => void, seen = new Set<string>()) {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) visit(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) eachField(info, selection.selectionSet, visit, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = info.fragments[selection.name.value];
      if (fragment) eachField(info, fragment.selectionSet, visit, seen);
    }
  }
}

/** Adds `field` to `byName` under its response name (what the executor merges by). */
function addByResponseName(byName: Map<string, FieldNode[]>, field: FieldNode) {
  const name = field.alias?.value ?? field.name.value;
  const nodes = byName.get(name);
  if (nodes) nodes.push(field);
  else byName.set(name, [field]);
}

function walkConnection(info: GraphQLResolveInfo, selectionSet: SelectionSetNode, found: Found) {
  eachField(info, selectionSet, (field) => {
    if (field.name.value === 'totalCount') found.totalCount = true;
    if (field.name.value !== 'edges' || !field.selectionSet) return;
    eachField(info, field.selectionSet, (edgeField) => {
      if (edgeField.name.value !== 'node' || !edgeField.selectionSet) return;
      eachField(info, edgeField.selectionSet, (jobField) => {
        const side = jobField.name.value;
        if (side === 'parents' || side === 'children') addByResponseName(found[side], jobField);
      });
    });
  });
}

/** Job fields a lookup by key answers from its arguments alone. */
const KEY_FIELDS = new Set(['__typename', 'id', 'uid', 'projectUid']);

/** A walk (`descendants` or `ancestors`) selected on a job, under one response name. */
export interface WalkAhead {
  walk: 'descendants' | 'ancestors';
  responseName: string;
  /** Its field nodes, merged as the executor merges them. */
  nodes: FieldNode[];
  /** What the walk's jobs are read for. */
  read: JobRead;
  /** Its `totalCount` is selected. */
  totalCount: boolean;
}

/**
 * When a job field selects nothing of the job but its key and one walk (as
 * `job(projectUid:, uid:) { descendants(…) { … } }` does), that walk; so the
 * root can be read in the walk's own statement. Undefined for any other
 * selection. Worked out once per field of each parsed document.
 */
export function onlyWalkOf(info: GraphQLResolveInfo): WalkAhead | undefined {
  const node = info.fieldNodes[0]!;
  if (walkCache.has(node)) return walkCache.get(node);
  const walks = new Map<string, FieldNode[]>();
  let other = false;
  for (const field of info.fieldNodes) {
    if (!field.selectionSet) continue;
    eachField(info, field.selectionSet, (selected) => {
      const name = selected.name.value;
      if (name === 'descendants' || name === 'ancestors') addByResponseName(walks, selected);
      else if (!KEY_FIELDS.has(name)) other = true;
    });
  }
  let found: WalkAhead | undefined;
  if (!other && walks.size === 1) {
    const [responseName, nodes] = [...walks][0]!;
    const walk = nodes[0]!.name.value as WalkAhead['walk'];
    // One response name is one field: the same walk (and arguments) in every node, or the document is invalid.
    const connection = getNamedType((getNamedType(info.returnType) as GraphQLObjectType).getFields()[walk]!.type);
    found = { walk, responseName, nodes, read: jobReadOfNodes(info, connection, nodes), totalCount: lookIntoConnection(info, nodes).totalCount };
  }
  walkCache.set(node, found);
  return found;
}

const walkCache = new WeakMap<object, WalkAhead | undefined>();
