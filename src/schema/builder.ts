import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLError, Kind } from 'graphql';
import type { Context } from './context.js';
import { decodeGlobalId } from './global-ids.js';

/** A connection's total is computed only when a client selects it. */
export type LazyCount = number | (() => Promise<number>);

export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: {
    DateTime: { Input: string; Output: string | Date };
    JSON: { Input: unknown; Output: unknown };
  };
  Connection: { totalCount: LazyCount };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [RelayPlugin, ComplexityPlugin],
  // Cost model only: every field costs 1 and a list multiplies its selection by 10; connections and
  // lineage multiply by the page size or node limit they ask for (`pageComplexity`, lineage.ts).
  // The budget is enforced per request by server/use-cost-limit.ts, so the plugin's own check is off.
  complexity: { defaultComplexity: 1, defaultListMultiplier: 10, disabled: true },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    firstArgOptions: { description: 'Page forward: at most this many items (0–100; default 20).' },
    afterArgOptions: { description: 'Page forward: items after this cursor.' },
    lastArgOptions: { description: 'Page backward: at most this many items (0–100).' },
    beforeArgOptions: { description: 'Page backward: items before this cursor.' },
    cursorFieldOptions: { description: 'Opaque position of this item; pass it as `after` or `before`.' },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    // The connection field already multiplies by its page size.
    edgesFieldOptions: { nullable: false, description: 'The items of this page, with their cursors.', complexity: { field: 1, multiplier: 1 } },
    pageInfoFieldOptions: { description: 'Where this page sits.' },
    hasNextPageFieldOptions: { description: 'More items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Items precede this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first item of the page.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of the page.' },
    idFieldOptions: { description: 'Globally unique id; refetch the object with `node(id:)`.' },
    nodeTypeOptions: { description: 'An object with a globally unique id, refetchable through `node(id:)`.' },
    pageInfoTypeOptions: { description: 'Where a page sits in its connection.' },
    nodeQueryOptions: {
      description: 'Fetches any object by its global id; null when it does not exist.',
      args: { id: { description: 'The `id` of a Job, Project or Workspace, as this server returned it; anything else is BAD_USER_INPUT.' } },
    },
    nodesQueryOptions: {
      description: 'Fetches objects by global id, in the order given; null for each one that does not exist.',
      args: { ids: { description: 'The `id`s of Jobs, Projects or Workspaces, as this server returned them; any other is BAD_USER_INPUT.' } },
      complexity: (args) => ({ field: 1, multiplier: args.ids.length }),
    },
    // Only ids this server issues; a malformed one is BAD_USER_INPUT, not an uncoded error.
    decodeGlobalID: decodeGlobalId,
  },
});

/** Default page size of a connection when neither `first` nor `last` is given. */
const DEFAULT_PAGE_SIZE = 20;

/** Cost of a connection field: its selection counts once per item of the page it asks for. */
export function pageComplexity(args: { first?: number | null; last?: number | null }) {
  return { field: 1, multiplier: args.first ?? args.last ?? DEFAULT_PAGE_SIZE };
}

builder.queryType({ description: 'Reads over CryoSPARC projects, workspaces and jobs.' });

const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError(`DateTime must be an ISO-8601 timestamp with a time zone, such as "2026-01-31T12:00:00Z"; got ${JSON.stringify(value)}.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return new Date(value).toISOString();
}

builder.scalarType('DateTime', {
  description: 'An instant as an ISO-8601 string in UTC, e.g. `2026-11-25T12:00:00.000Z`.',
  // RFC 3339 date-time, as the GraphQL Scalars spec pins it (clients map it to a string or a Date).
  specifiedByURL: 'https://scalars.graphql.org/andimarek/date-time',
  // Stored instants are already canonical (`…T…:…:….sssZ`, 24 characters): they go out as they are.
  serialize: (value) =>
    typeof value === 'string' && CANONICAL_INSTANT.test(value) ? value : value instanceof Date ? value.toISOString() : new Date(value as string).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

builder.scalarType('JSON', {
  description: 'Any JSON value: free-form dictionaries such as job params, bench data and summaries.',
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc8259',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: () => {
    throw new GraphQLError('JSON arguments must be passed as variables.', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'How many items the connection holds in all, ignoring paging.',
    resolve: (parent) => (typeof parent.totalCount === 'function' ? parent.totalCount() : parent.totalCount),
  }),
);
