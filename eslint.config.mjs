// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * Workflow code runs in Temporal's deterministic sandbox, and the contracts and Mercado Pago rules
 * it imports are bundled with it: none may reach Node built-ins, NestJS, or the SDK packages that only run outside the
 * sandbox. tsconfig path aliases are banned too, because the workflow bundler ignores them.
 */
const sandboxForbidden = {
  paths: builtinModules.map((name) => ({ name, message: 'Node built-ins are not available in the workflow sandbox.' })),
  patterns: [
    { group: ['node:*'], message: 'Node built-ins are not available in the workflow sandbox.' },
    { group: ['@nestjs/*'], message: 'NestJS does not belong in workflow code.' },
    {
      group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing', '@temporalio/core-bridge'],
      message: 'Workflow code may use @temporalio/workflow (and @temporalio/common) only.',
    },
    { group: ['@app/*'], message: 'The workflow bundler ignores tsconfig paths: import with a relative path.' },
  ],
};

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.data/**', 'coverage/**', 'artifacts/**'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['libs/workflows/src/**/*.ts', 'libs/contracts/src/**/*.ts', 'libs/mercadopago/src/**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/workflows/src/workflows-path.ts'],
    rules: { 'no-restricted-imports': ['error', sandboxForbidden] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
  },
);
