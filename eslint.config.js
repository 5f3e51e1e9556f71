import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/out/**'] },
  // Type-checked rules over src, test, bench and scripts alike; plain JS files
  // (bench, scripts) have no types to check and take the untyped set.
  ...tseslint.configs.recommendedTypeChecked,
  reactHooks.configs.flat['recommended-latest'],
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['src/pipeline/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['ink', 'react', 'ink-testing-library'],
        patterns: ['ink/*', 'react/*', '../ui/*', '../../ui/*'],
      }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Keys typed ahead (a path, then Enter, then the next answer) can reach the
    // field after the render of a new value and before its commit: the field
    // takes the value into its latest-value ref as it renders, which this rule forbids.
    files: ['src/ui/components/text-field.tsx'],
    rules: { 'react-hooks/refs': 'off' },
  },
  {
    // DuckDB's value classes carry their own toString, which its value union does not show, and
    // getRowsJS types every cell as any JS value where these read only text and numbers.
    files: ['src/pipeline/warehouse/duckdb-connection.ts', 'src/pipeline/warehouse/duckdb-functions.ts'],
    rules: { '@typescript-eslint/no-base-to-string': 'off' },
  },
  {
    // An abort rejects with the signal's reason, which the DOM types as any.
    files: ['**/*.ts', '**/*.tsx'],
    rules: { '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true }] },
  },
);
