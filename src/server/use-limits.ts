import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { GraphQLError, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Limits } from './limits.js';
import { loadPersistedOperations, usePersistedOperationsOnly } from './persisted-operations.js';
import { useCostLimit } from './use-cost-limit.js';
import { useExecutionTimeout } from './use-execution-timeout.js';
import { useStrictParsing } from './use-strict-parsing.js';

type ArmorConfig = NonNullable<Parameters<typeof EnvelopArmorPlugin>[0]>;
type ArmorCallbacks = Pick<NonNullable<ArmorConfig['maxDepth']>, 'onReject' | 'propagateOnRejection'>;

/** The header a form or text/plain POST must carry when CSRF prevention is on (any value). */
export const CSRF_HEADER = 'x-graphql-csrf';

/**
 * Every limit of {@link Limits} that yoga enforces, as its plugins, in order:
 * CSRF, strict body parsing, persisted operations, document limits (GraphQL
 * Armor), introspection, cost, execution time. Body size, websocket limits and
 * the rest are enforced by http-guards.ts and ws.ts.
 */
export function useLimits(limits: Limits): Plugin[] {
  const plugins: Plugin[] = [];
  if (limits.csrfPrevention) {
    // Only the custom header counts: a form or text/plain POST always carries a content-type.
    plugins.push(postsOnly(withCode(useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }), 'CSRF_HEADER_REQUIRED')));
  }
  plugins.push(useStrictParsing({ maxJsonDepth: limits.maxJsonDepth, maxBodyBytes: limits.maxBodyBytes }));
  if (limits.persistedOperations) plugins.push(usePersistedOperationsOnly(loadPersistedOperations(limits.persistedOperations)));
  plugins.push(
    EnvelopArmorPlugin({
      maxDepth: { n: limits.maxDepth, flattenFragments: true, ...rejectWith('DEPTH_LIMIT_EXCEEDED') },
      maxAliases: { n: limits.maxAliases, ...rejectWith('ALIAS_LIMIT_EXCEEDED') },
      maxDirectives: { n: limits.maxDirectives, ...rejectWith('DIRECTIVE_LIMIT_EXCEEDED') },
      maxTokens: { n: limits.maxTokens, ...rejectWith('TOKEN_LIMIT_EXCEEDED') },
      // Cost is the Pothos complexity model (use-cost-limit.ts), which knows our pages.
      costLimit: { enabled: false },
      // "Did you mean …" would leak the schema that disabled introspection hides.
      blockFieldSuggestion: { enabled: !limits.introspection },
    }) as Plugin,
  );
  if (!limits.introspection) plugins.push(useNoIntrospection());
  plugins.push(useCostLimit({ maxCost: limits.maxCost }), useExecutionTimeout({ timeoutMs: limits.executionTimeoutMs }));
  return plugins;
}

/**
 * Armor rejects with an uncoded "Syntax Error: …"; this gives the rejection our
 * code instead. Validation rules report it (so the other rules still run), the
 * token limit — counted while parsing, without a validation context — throws it.
 */
function rejectWith(code: string): ArmorCallbacks {
  return {
    propagateOnRejection: false,
    onReject: [
      (context, error) => {
        const coded = new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code } });
        if (!context) throw coded;
        context.reportError(coded);
      },
    ],
  };
}

/**
 * Introspection off for every transport. (`@graphql-yoga/plugin-disable-introspection`
 * keys on the HTTP request, which websocket operations do not have.)
 */
function useNoIntrospection(): Plugin {
  const rule: ValidationRule = (context) => ({
    Field(node) {
      if (node.name.value !== '__schema' && node.name.value !== '__type') return;
      context.reportError(
        new GraphQLError(`Introspection is disabled on this server (${node.name.value}).`, { nodes: node, extensions: { code: 'INTROSPECTION_DISABLED' } }),
      );
    },
  });
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
  };
}

/**
 * The same plugin, with its onRequestParse run for POSTs only. A GET can only
 * query or subscribe (yoga refuses a mutation over GET with 405), changes
 * nothing, and the origin policy keeps other sites from reading its answer:
 * it needs no custom header, so urql's GET queries and a browser's
 * `EventSource` work as they are. Other methods reach yoga's 405 (with
 * `Allow: GET, POST`) instead of a 403.
 */
function postsOnly(plugin: Plugin): Plugin {
  const onRequestParse = plugin.onRequestParse;
  if (!onRequestParse) return plugin;
  return {
    ...plugin,
    onRequestParse(payload) {
      if (payload.request.method !== 'POST') return;
      return onRequestParse(payload);
    },
  };
}

/** The same plugin, with `code` on the GraphQL errors its onRequestParse throws. */
function withCode(plugin: Plugin, code: string): Plugin {
  const onRequestParse = plugin.onRequestParse;
  if (!onRequestParse) return plugin;
  return {
    ...plugin,
    onRequestParse(payload) {
      try {
        return onRequestParse(payload);
      } catch (error) {
        if (error instanceof GraphQLError) Object.assign(error.extensions as Record<string, unknown>, { code });
        throw error;
      }
    },
  };
}
