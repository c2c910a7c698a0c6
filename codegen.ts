import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for every operation the tests and the README examples use
 * (test/gql/), and for the browser viewer's own (web/gql/).
 * `npm run codegen` writes both; test/codegen.test.ts fails when one is stale.
 */
const config: CodegenConfig = {
  schema: './schema.graphql',
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    './test/gql/': {
      documents: ['test/operations/**/*.graphql', 'docs/examples/**/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
        documentMode: 'string',
      },
    },
    './web/gql/': {
      documents: ['web/operations/**/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
        documentMode: 'string',
      },
    },
  },
};

export default config;
