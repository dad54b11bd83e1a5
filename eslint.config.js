// ESLint for the extension, its tests and scripts (part of `npm run lint`). Formatting is Prettier's
// job (.prettierrc), unused files, exports and dependencies knip's (knip.json); this is about code
// that is wrong or easy to get wrong: promises nobody waits for, hooks called out of order, dead code.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores(['.output/', '.wxt/', '.tmp/', 'tests/e2e/.fixtures/', 'demo/.media/', 'bench/']),

  js.configs.recommended,
  // With type information: it costs one TypeScript program (tsconfig.json's, as `tsc --noEmit` builds),
  // and buys the promise rules, which matter in code that is asynchronous nearly everywhere.
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A function is made `async` to return a promise (and turn a throw into a rejection) when an
      // interface asks for one, with or without an `await` inside.
      '@typescript-eslint/require-await': 'off',
      // Rejecting with what was caught, or with an AbortSignal's reason, passes an error on; only a
      // value known not to be an error (a string, a number) is refused, as only-throw-error does.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      // `const { unwanted: _, ...rest } = value` is how a property is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    // Tests read JSON (manifests, request bodies) and use vitest's asymmetric matchers, all typed `any`.
    files: ['tests/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript (Node scripts) is not in tsconfig.json's program.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },

  {
    files: ['components/**/*.{ts,tsx}', 'entrypoints/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
  },
]);
