import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const BOT_SDK = {
  group: ['botbuilder', 'botbuilder-*', 'botframework-*'],
  message: 'Only src/bot/ imports the bot SDK.',
};
const TABLE_CLIENT = { group: ['@azure/data-tables'], message: 'Only src/storage/ imports the table client.' };
const OUTSIDE_DOMAIN = {
  group: ['../*', '!../domain'],
  message: 'src/domain/ is pure rules: it imports nothing from the other layers.',
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.data/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Handlers share one async signature whether or not they wait on anything.
      '@typescript-eslint/require-await': 'off',
      // The parser and key escaping match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  // The layering of docs/design.md, held by the linter: only bot/ speaks botbuilder, only storage/
  // holds the table client, and domain/ is pure rules that import nothing of the others.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/bot/**', 'src/storage/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [BOT_SDK, TABLE_CLIENT] }] },
  },
  { files: ['src/bot/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [TABLE_CLIENT] }] } },
  { files: ['src/storage/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [BOT_SDK] }] } },
  {
    files: ['src/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [BOT_SDK, TABLE_CLIENT, OUTSIDE_DOMAIN] }] },
  },
  {
    // Matchers such as expect.any() are typed any; tests may throw what they simulate.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/only-throw-error': 'off',
    },
  },
  { files: ['**/*.js'], extends: [tseslint.configs.disableTypeChecked] },
);
