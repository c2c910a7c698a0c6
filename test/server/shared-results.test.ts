import { createSchema, createYoga } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { useSharedSubscriptionResults } from '../../src/server/use-shared-results.js';

class CodedError extends Error {
  readonly code = 'NOT_FOUND';
}

/** A subscription whose events come from one shared source, and a field that counts its executions. */
function setup() {
  let executions = 0;
  const listeners = new Set<(event: object) => void>();
  const publish = (event: object) => listeners.forEach((l) => l(event));
  const schema = createSchema<{ scope: string }>({
    typeDefs: /* GraphQL */ `
      type Query { ok: Boolean }
      type Event { n: Int!, label: String!, scope: String!, fails: Int }
      type Subscription { events(prefix: String!): Event! }
    `,
    resolvers: {
      Subscription: {
        events: {
          subscribe: async function* () {
            const queue: object[] = [];
            let wake: (() => void) | undefined;
            const listener = (event: object) => {
              queue.push(event);
              wake?.();
            };
            listeners.add(listener);
            try {
              for (;;) {
                while (queue.length > 0) yield queue.shift()!;
                await new Promise<void>((resolve) => (wake = resolve));
              }
            } finally {
              listeners.delete(listener);
            }
          },
          resolve: (event: object) => event,
        },
      },
      Event: {
        label: (event: { n: number }, _args: unknown, _ctx: unknown, info: { variableValues: Record<string, unknown> }) => {
          executions++;
          return `${String(info.variableValues.prefix)}${event.n}`;
        },
        scope: (_e: unknown, _a: unknown, ctx: { scope: string }) => ctx.scope,
        fails: () => {
          throw new CodedError('no such thing');
        },
      },
    },
  });
  const yoga = createYoga<{ scope: string }>({ schema, maskedErrors: false, plugins: [useSharedSubscriptionResults({ scopeOf: (ctx) => (ctx as { scope: string }).scope })] });
  const query = 'subscription ($prefix: String!) { events(prefix: $prefix) { n label scope } }';
  async function subscribe(prefix: string, scope: string, document = query) {
    const { parse, subscribe: run, schema: s } = yoga.getEnveloped({});
    const stream = (await run({ schema: s, document: parse(document), variableValues: { prefix }, contextValue: { scope } })) as AsyncIterableIterator<ExecutionResult>;
    return stream;
  }
  return { subscribe, publish, executions: () => executions };
}

describe('shared subscription results', () => {
  it('executes an event once per distinct operation, variables and scope, and gives each subscriber the right result', async () => {
    const { subscribe, publish, executions } = setup();
    const same = await Promise.all([subscribe('a', 'x'), subscribe('a', 'x'), subscribe('a', 'x')]);
    const otherVariables = await subscribe('b', 'x');
    const otherScope = await subscribe('a', 'y');
    const all = [...same, otherVariables, otherScope];
    const next = all.map((s) => s.next());
    // Let every stream reach its wait before the event.
    await new Promise((resolve) => setTimeout(resolve, 10));
    publish({ n: 1 });
    const results = (await Promise.all(next)).map((r) => r.value as ExecutionResult);
    expect(results.map((r) => r.data)).toEqual([
      { events: { n: 1, label: 'a1', scope: 'x' } },
      { events: { n: 1, label: 'a1', scope: 'x' } },
      { events: { n: 1, label: 'a1', scope: 'x' } },
      { events: { n: 1, label: 'b1', scope: 'x' } },
      { events: { n: 1, label: 'a1', scope: 'y' } },
    ]);
    expect(executions()).toBe(3);
    // A second event is a new execution per group, not a cached first one.
    const second = all.map((s) => s.next());
    publish({ n: 2 });
    expect(((await second[0]!).value as ExecutionResult).data).toEqual({ events: { n: 2, label: 'a2', scope: 'x' } });
    await Promise.all(second);
    expect(executions()).toBe(6);
    await Promise.all(all.map((s) => s.return?.()));
  });

  it('reports a failing field as a graphql-js error that keeps its cause, path and location, and can be coded', async () => {
    const { subscribe, publish } = setup();
    const stream = await subscribe('a', 'x', 'subscription ($prefix: String!) {\n  events(prefix: $prefix) { n fails }\n}');
    const next = stream.next();
    await new Promise((resolve) => setTimeout(resolve, 10));
    publish({ n: 1 });
    const result = (await next).value as ExecutionResult;
    expect(result.data).toEqual({ events: { n: 1, fails: null } });
    const [error] = result.errors!;
    expect(error!.message).toBe('no such thing');
    expect(error!.originalError).toBeInstanceOf(CodedError);
    expect(error!.path).toEqual(['events', 'fails']);
    expect(error!.locations).toEqual([{ line: 2, column: 31 }]);
    // Error coding (schema/errors.ts) adds to extensions in place.
    Object.assign(error!.extensions, { code: 'NOT_FOUND' });
    expect(error!.toJSON().extensions).toEqual({ code: 'NOT_FOUND' });
    await stream.return?.();
  });
});
