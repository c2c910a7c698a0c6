import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for every operation the tests and the README examples use.
 * `npm run codegen` writes test/gql/; test/codegen.test.ts fails when it is stale.
 */
const config: CodegenConfig = {
  schema: './schema.graphql',
  documents: ['test/operations/**/*.graphql', 'docs/examples/**/*.graphql'],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    './test/gql/': {
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
