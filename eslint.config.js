import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Import patterns that a layer may not use, so that imports only point downwards. */
const nodeAndElectron = ['node:*', 'electron', 'ws', 'mqtt', 'pino', 'pino-*'];
const upperMainLayers = ['**/bridge/**', '**/service/**', '**/headless/**', '**/app/**'];

function restrict(patterns, message) {
  return {
    'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict(
      [...nodeAndElectron, 'react', '**/main/**', '**/renderer/**'],
      'shared/ is pure TypeScript: no Node, Electron, DOM or upper layers.',
    ),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: restrict(
      [...nodeAndElectron, '**/main/**'],
      'The renderer talks to the control API only; it may import shared/ and browser libraries.',
    ),
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/app/**'],
    rules: restrict(['electron', 'electron-*'], 'Only main/app/ may import Electron.'),
  },
  {
    files: [
      'main/moonraker/**/*.ts',
      'main/telemetry/**/*.ts',
      'main/commands/**/*.ts',
      'main/cloud/**/*.ts',
      'main/discovery/**/*.ts',
      'main/support/**/*.ts',
    ],
    rules: restrict(
      ['electron', 'electron-*', ...upperMainLayers],
      'Lower layers of main/ may not import bridge, service, headless or app.',
    ),
  },
  {
    files: ['main/app/logic/**/*.ts'],
    rules: restrict(
      ['electron', 'electron-*'],
      'main/app/logic/ holds the shell decisions as plain Node code, tested without Electron.',
    ),
  },
);
