// ESLint enforces the process boundaries of ../shared/ARCHITECTURE.md: which folder may import
// what. TypeScript then type-checks each folder with its own environment (tsconfig per folder).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));
const escape = (name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const nodeBuiltinPattern = {
  regex: `^(node:.*|(${nodeBuiltins.map(escape).join('|')})(/.*)?)$`,
  message: 'This code runs outside Node (renderer or shared code): Node built-ins are not available here.',
};
const electronPath = {
  name: 'electron',
  message: "Only main/shell/, main/index.ts and preload/ may import 'electron'; keep logic in plain TypeScript.",
};
/** A relative import that climbs out of its folder into one of the named top-level folders. */
const crossing = (folders, why) => ({
  regex: `^(\\.\\./)+(${folders.join('|')})(/|$)`,
  message: why,
});
/** main/shell/ is the Electron half of main: the rest of main/ reaches it only through the Platform it is given. */
const intoShell = {
  regex: '^(\\./|(\\.\\./)+)shell(/|$)',
  message:
    'Only main/shell/ and main/index.ts may import main/shell/: the rest of main/ runs under Node without Electron, and gets what it needs through the Platform.',
};
const restrict = (...patterns) => ['error', { paths: [electronPath], patterns }];
const restrictAllowingElectron = (...patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['node_modules/', '.tsbuild/', 'dist/', 'release/', 'coverage/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      'no-console': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['*.js', '*.ts', 'server/**', 'test/**', 'bench/**', 'main/**', 'scripts/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['server/**'],
    rules: {
      'no-restricted-imports': restrict(crossing(['main', 'preload', 'renderer', 'test', 'bench'], 'The server imports only server/ and common/.')),
    },
  },
  {
    files: ['common/**'],
    rules: {
      'no-restricted-imports': restrict(
        nodeBuiltinPattern,
        crossing(['main', 'preload', 'renderer', 'server', 'test', 'bench'], 'common/ is shared by every process and imports none of them.'),
      ),
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname', '__filename', 'window', 'document'],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': restrict(
        nodeBuiltinPattern,
        crossing(
          ['main', 'preload', 'server', 'test', 'bench'],
          'The renderer reaches main only through window.sportello; it imports renderer/ and common/ only.',
        ),
      ),
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname', '__filename'],
    },
  },
  {
    files: ['preload/**'],
    rules: {
      'no-restricted-imports': restrictAllowingElectron(
        crossing(['main', 'renderer', 'server', 'test', 'bench'], 'The preload is built from the IPC contract in common/ and imports nothing else.'),
      ),
    },
  },
  {
    files: ['main/**'],
    rules: {
      'no-restricted-imports': restrict(
        crossing(
          ['preload', 'renderer', 'server', 'test', 'bench'],
          'Main talks to the server over HTTPS and to the renderer over IPC; it imports main/ and common/ only.',
        ),
        intoShell,
      ),
    },
  },
  {
    files: ['main/shell/**', 'main/index.ts'],
    rules: {
      'no-restricted-imports': restrictAllowingElectron(
        crossing(
          ['preload', 'renderer', 'server', 'test', 'bench'],
          'Main talks to the server over HTTPS and to the renderer over IPC; it imports main/ and common/ only.',
        ),
      ),
    },
  },
  {
    // Tests and benchmarks print and may import across folders to drive real parts; vitest's
    // asymmetric matchers (expect.objectContaining …) are typed `any`.
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
);
