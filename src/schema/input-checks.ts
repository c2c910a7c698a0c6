import {
  type ArgumentNode,
  type DocumentNode,
  type ExecutionArgs,
  GraphQLError,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
  Kind,
  TypeInfo,
  type ValueNode,
  getNamedType,
  getNullableType,
  getOperationAST,
  isInputObjectType,
  isListType,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { MAX_UID_NUMBER, type UidPrefix, describeUid, isCanonicalUid } from '../model/uid.js';

/**
 * Argument values that would reach the database malformed are refused before
 * an operation runs, whatever the transport (HTTP, SSE, websockets) and
 * whether they are written in the document or passed as variables:
 *
 * - any string holding NUL (U+0000) or an unpaired surrogate, in any argument
 *   or input field: PostgreSQL refuses NUL in text and unpaired surrogates in
 *   JSON, and SQLite ends a LIKE pattern at NUL (matching every row);
 * - a uid argument or input field (marked with {@link uidInput}) that is not
 *   canonical (`J01`, `J99999999999999999999`): it would name a second job
 *   `J1`, or a number no `uidNum: Int` can hold.
 *
 * Each is `BAD_USER_INPUT` naming the argument, as a request error like a
 * failed validation (HTTP 400, or 200 for legacy `application/json`
 * clients): no resolver runs, so no mutation of the operation commits.
 */
export function useInputChecks(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const errors = checkInputs(args as ExecutionArgs);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const errors = checkInputs(args as ExecutionArgs);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
}

const UID_EXTENSION = 'jobgraphUid';

/**
 * Marks a String argument or input field (or each string of a list) as a uid
 * of this kind: spread into its options, `t.arg.string({ ...uidInput('J'), … })`.
 */
export function uidInput(prefix: UidPrefix): { extensions: { [UID_EXTENSION]: UidPrefix } } {
  return { extensions: { [UID_EXTENSION]: prefix } };
}

function uidPrefixOf(definition: GraphQLArgument | GraphQLInputField | undefined): UidPrefix | undefined {
  return definition?.extensions?.[UID_EXTENSION] as UidPrefix | undefined;
}

/** At most this many errors per operation: one is enough to fix, and a list of a thousand bad values need not echo them all. */
const MAX_ERRORS = 10;

/** An argument as written in the operation: which field (or directive) it belongs to, its definition and its value. */
interface ArgumentSite {
  owner: string;
  node: ArgumentNode;
  definition: GraphQLArgument | undefined;
}

interface OperationSites {
  sites: ArgumentSite[];
  /** Default values of the operation's variables, used when a variable is not given. */
  defaults: Map<string, ValueNode>;
}

const sitesByDocument = new WeakMap<DocumentNode, Map<string, OperationSites>>();

/**
 * Every problem of the operation's argument values (see {@link useInputChecks}),
 * as coded GraphQL errors; empty when there is none.
 */
export function checkInputs(args: Pick<ExecutionArgs, 'schema' | 'document' | 'operationName' | 'variableValues'>): GraphQLError[] {
  const { sites, defaults } = operationSites(args.schema, args.document, args.operationName);
  const errors: GraphQLError[] = [];
  const variables = (args.variableValues ?? {}) as Readonly<Record<string, unknown>>;
  for (const site of sites) {
    const report = (path: string, problem: string, variable?: string) => {
      const via = variable ? ` (variable $${variable})` : '';
      errors.push(
        new GraphQLError(`Argument \`${path}\` of \`${site.owner}\`${via} ${problem}.`, {
          nodes: site.node,
          extensions: {
            code: 'BAD_USER_INPUT',
            details: { field: site.owner, argument: path, ...(variable ? { variable } : {}) },
            // A request error like a failed validation: 400, or 200 for legacy application/json clients.
            http: { status: 400, spec: true },
          },
        }),
      );
    };
    const literal = (node: ValueNode, type: GraphQLInputType | undefined, uid: UidPrefix | undefined, path: string): void => {
      if (errors.length >= MAX_ERRORS) return;
      switch (node.kind) {
        case Kind.STRING: {
          const problem = stringProblem(node.value, uid);
          if (problem) report(path, problem);
          return;
        }
        case Kind.LIST: {
          const item = itemType(type);
          node.values.forEach((value, i) => literal(value, item, uid, `${path}[${i}]`));
          return;
        }
        case Kind.OBJECT: {
          const fields = inputFields(type);
          for (const field of node.fields) {
            const definition = fields?.[field.name.value];
            literal(field.value, definition?.type, uidPrefixOf(definition), `${path}.${field.name.value}`);
          }
          return;
        }
        case Kind.VARIABLE: {
          const name = node.name.value;
          if (variables[name] !== undefined) return value(variables[name], type, uid, path, name);
          const fallback = defaults.get(name);
          if (fallback) literal(fallback, type, uid, path);
          return;
        }
        default:
          return;
      }
    };
    const value = (given: unknown, type: GraphQLInputType | undefined, uid: UidPrefix | undefined, path: string, variable: string): void => {
      if (errors.length >= MAX_ERRORS) return;
      if (typeof given === 'string') {
        const problem = stringProblem(given, uid);
        if (problem) report(path, problem, variable);
      } else if (Array.isArray(given)) {
        const item = itemType(type);
        given.forEach((element, i) => value(element, item, uid, `${path}[${i}]`, variable));
      } else if (given !== null && typeof given === 'object') {
        const fields = inputFields(type);
        for (const [key, element] of Object.entries(given)) {
          const definition = fields?.[key];
          value(element, definition?.type, uidPrefixOf(definition), `${path}.${key}`, variable);
        }
      }
    };
    literal(site.node.value, site.definition?.type, uidPrefixOf(site.definition), site.node.name.value);
    if (errors.length >= MAX_ERRORS) break;
  }
  return errors;
}

// NUL, or a surrogate code unit that is not half of a pair (with the `u` flag, a pair is one code point, not Cs).
const UNSTORABLE = /[\0\p{Cs}]/u;

function stringProblem(text: string, uid: UidPrefix | undefined): string | undefined {
  if (UNSTORABLE.test(text)) {
    return text.includes('\0')
      ? 'contains a NUL character (U+0000), which no text argument may hold'
      : 'contains an unpaired UTF-16 surrogate, which is not text';
  }
  // (Widened: the guard's false branch would narrow `text` to never.)
  if (uid && !isCanonicalUid(text as unknown, uid)) {
    return `is ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}, not a ${describeUid(uid)} (no leading zeros, at most ${MAX_UID_NUMBER})`;
  }
  return undefined;
}

function itemType(type: GraphQLInputType | undefined): GraphQLInputType | undefined {
  const nullable = type && getNullableType(type);
  return nullable && isListType(nullable) ? (nullable.ofType as GraphQLInputType) : type;
}

function inputFields(type: GraphQLInputType | undefined): Record<string, GraphQLInputField> | undefined {
  const named = type && getNamedType(type);
  return named && isInputObjectType(named) ? named.getFields() : undefined;
}

/** The arguments of an operation and of the fragments it may spread, found once per parsed document. */
function operationSites(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): OperationSites {
  let byName = sitesByDocument.get(document);
  if (!byName) sitesByDocument.set(document, (byName = new Map()));
  const key = operationName ?? '';
  let found = byName.get(key);
  if (found) return found;
  const operation = getOperationAST(document, operationName);
  const sites: ArgumentSite[] = [];
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation?.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition: (node) => (node === operation ? undefined : false),
      Argument: (node) => {
        const directive = typeInfo.getDirective();
        const owner = directive ? `@${directive.name}` : (typeInfo.getFieldDef()?.name ?? '?');
        sites.push({ owner, node, definition: typeInfo.getArgument() ?? undefined });
        return false;
      },
    }),
  );
  found = { sites, defaults };
  byName.set(key, found);
  return found;
}
