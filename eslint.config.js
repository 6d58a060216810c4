import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'bench-out/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    // Type-aware rules: a promise nobody awaits or handles, a promise where a callback must return nothing, a switch that misses a case.
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Imports point inward: core/ and models/ stand alone; only the composition root (cli/), the adapters themselves and tests see bot/.
    files: ['core/**/*.ts', 'models/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/bot/**', '**/commands/**', '**/workers/**', '**/services/**', '**/answers/**', '**/cli/**'], message: 'core and models import nothing of the layers above them' }] }],
    },
  },
  {
    files: ['workers/**/*.ts', 'commands/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/bot/**', '**/cli/**'], message: 'workers and commands never import the bot adapters or the CLI' }] }],
    },
  },
  {
    // services/ (the use cases) and answers/ (their phrasing) stand on core/ alone: workers/, cli/ and commands/ use them.
    files: ['services/**/*.ts', 'answers/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/bot/**', '**/commands/**', '**/workers/**', '**/cli/**'], message: 'services and answers import only core (and answers the services\' types)' }] }],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.js', 'core/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
