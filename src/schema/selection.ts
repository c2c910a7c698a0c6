import {
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
  getNamedType,
  isAbstractType,
  isObjectType,
  isInterfaceType,
  Kind,
} from 'graphql';

/**
 * Job fields answered from the job's columns (store/lazy-job.ts): reading
 * only these, a job is fetched without its ~9 KB document.
 */
export const JOB_COLUMN_FIELDS: ReadonlySet<string> = new Set([
  '__typename',
  'id',
  'uid',
  'uidNum',
  'projectUid',
  'projectUidNum',
  'title',
  'status',
  'priority',
  'type',
  'category',
  'createdAt',
  'updatedAt',
  'queuedAt',
  'launchedAt',
  'startedAt',
  'runningAt',
  'waitingAt',
  'completedAt',
  'failedAt',
  'killedAt',
  'hasError',
  'deleted',
]);

/** Job fields with resolvers of their own that need only the job's key. */
const JOB_RELATION_FIELDS: ReadonlySet<string> = new Set(['parents', 'children', 'childUids', 'ancestors', 'descendants', 'project']);

const JOB_TYPE = 'Job';

/**
 * Whether the jobs this field returns — directly, or inside the connections,
 * edges and graphs it returns — are read for any field their columns do not
 * hold. Fragments are followed; `@skip`/`@include` are not evaluated (a
 * conditional field counts as read), and a field of an abstract type that
 * could be a Job counts as reading the document. The answer depends on the
 * document only, so it is computed once per field of each parsed document.
 */
export function selectionReadsJobDocument(info: GraphQLResolveInfo): boolean {
  const node = info.fieldNodes[0]!;
  let known = cache.get(node);
  if (known === undefined) {
    const type = getNamedType(info.returnType);
    known = info.fieldNodes.some((field) => field.selectionSet !== undefined && readsDocument(info.schema, info.fragments, type, field.selectionSet, new Set()));
    cache.set(node, known);
  }
  return known;
}

const cache = new WeakMap<object, boolean>();

function readsDocument(
  schema: GraphQLSchema,
  fragments: Record<string, FragmentDefinitionNode>,
  type: GraphQLNamedType,
  selectionSet: SelectionSetNode,
  visiting: Set<string>,
): boolean {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (type.name === JOB_TYPE) {
        if (JOB_COLUMN_FIELDS.has(name) || JOB_RELATION_FIELDS.has(name)) continue;
        return true;
      }
      if (isAbstractType(type)) {
        // `node(id:)`, `... on Node { id }`: a Job might be behind it. Only the shared id is free.
        if (name === '__typename' || name === 'id') continue;
        if (schema.getPossibleTypes(type).some((t) => t.name === JOB_TYPE)) return true;
        continue;
      }
      if (!selection.selectionSet || !(isObjectType(type) || isInterfaceType(type))) continue;
      const field = type.getFields()[name];
      if (field && readsDocument(schema, fragments, getNamedType(field.type), selection.selectionSet, visiting)) return true;
    } else {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments[selection.name.value] : selection;
      if (!fragment) continue;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        if (visiting.has(selection.name.value)) continue;
        visiting.add(selection.name.value);
      }
      // On a Job, any fragment that applies (on Job, on Node) selects Job fields; elsewhere its condition narrows the type.
      const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : undefined;
      const inner = type.name === JOB_TYPE ? type : (condition ?? type);
      if (readsDocument(schema, fragments, inner, fragment.selectionSet, visiting)) return true;
    }
  }
  return false;
}
