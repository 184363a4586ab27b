// Lint rules that keep the process boundaries (VS Code's layering rule):
//   shared/            imports nothing process-specific: no Node, Electron, DOM libs, ccxt, ws
//   renderer/          imports neither Electron nor Node
//   electron/engine/   host-agnostic: no Electron, and not the host shells
//   electron/streaming the streaming process: no Electron main APIs, not the engine
//   only electron/main and electron/preload import 'electron'
// And one way to own a timer: in electron/ and shared/ only shared/lifecycle/timers.ts
// touches the runtime's timer globals; everything else takes a Scheduler and owns
// its timers (ownedTimeout/ownedInterval/settleWithin, nextTurn with its cancel).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electron = { name: 'electron', message: 'Only electron/main and electron/preload may import Electron.' };
const rawTimerMessage = 'Timers go through shared/lifecycle/timers.ts: a Scheduler, ownedTimeout/ownedInterval with an Owner, or nextTurn.';
const rawTimers = ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate'].map((name) => ({ name, message: rawTimerMessage }));
const noElectronPatterns = [{ group: ['electron/*', 'electron-log/main', 'electron-log/renderer'], message: 'Electron APIs belong to electron/main and electron/preload.' }];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { paths: [electron], patterns: noElectronPatterns }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electron, ...nodeBuiltins.map((name) => ({ name, message: 'shared/ runs in every process: no Node built-ins.' })), 'ws', 'ccxt', 'react', 'zustand', 'electron-log'],
          patterns: [{ group: ['../electron/*', '../renderer/*', '../simulator/*', '../../*'], message: 'shared/ depends on nothing else in the project.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electron, ...nodeBuiltins.map((name) => ({ name, message: 'No Node in the renderer.' })), 'ws', 'ccxt', 'electron-log/main', 'electron-log/node'],
          patterns: [{ group: ['**/electron/**', '**/simulator/**'], message: 'The renderer talks to main only through FoxtrotApi.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/vite.config.mts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['electron/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electron], patterns: [...noElectronPatterns, { group: ['**/main/*', '**/headless/*', '**/preload/*', '**/streaming/*'], message: 'The engine is host-agnostic: hosts depend on it, not the other way.' }] },
      ],
    },
  },
  {
    files: ['electron/streaming/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electron], patterns: [...noElectronPatterns, { group: ['**/engine/*', '**/main/*', '**/headless/*', '**/renderer/*'], message: 'The streaming process shares only shared/ with the rest.' }] },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/headless/*'], message: 'The Electron shell does not use the headless host.' }] }] },
  },
  {
    files: ['electron/headless/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron], patterns: [...noElectronPatterns, { group: ['**/main/*'], message: 'The headless host does not use the Electron shell.' }] }] },
  },
  // No raw timers in the processes' code (see the top). Not applied to renderer/
  // (its timers are window.* calls owned by React effect cleanups and the runtime's
  // dispose), test/ and bench/ (they wait on real processes in real time), nor
  // simulator/ (a stand-alone server shared with its CLI and the benchmark; its
  // stop() clears every timer it set, checked by its own tests).
  {
    files: ['electron/**/*.ts', 'shared/**/*.ts'],
    ignores: ['shared/lifecycle/timers.ts'],
    rules: {
      'no-restricted-globals': ['error', ...rawTimers],
      'no-restricted-properties': ['error', ...rawTimers.map(({ name, message }) => ({ object: 'globalThis', property: name, message }))],
    },
  },
);
