// Lint: ESLint's and typescript-eslint's recommended rules, and the layer rules of ARCHITECTURE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const cliOnly = { regex: '(^|/)cli/', message: 'Only the CLI layer (src/cli, src/bin.ts, src/route.ts) may import src/cli: move the shared code below it.' };

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'scripts/shims/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // TypeScript already reports undefined names; looop strips terminal controls on purpose in many places.
  {
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: { 'no-undef': 'off', 'no-control-regex': 'off', '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }] },
  },
  // Tests and scripts read arbitrary JSON from the CLIs they drive.
  { files: ['test/**', 'scripts/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/bin.ts', 'src/route.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [cliOnly] }] },
  },
);
