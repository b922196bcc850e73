import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * Which folder may import which (docs/design.md section 2, docs/architecture.md "What each folder may
 * import"). Enforced with ESLint's built-in `no-restricted-imports`, one block per folder.
 *
 * The rule sees the import specifier as written, not the resolved file, so each pattern is a regex over
 * relative specifiers at the depth files live at: `shared/<area>/<file>.ts`,
 * `lambdas/<name>/handler.ts` and `lib|ops/<file>.ts`. In flat config a later block replaces an earlier
 * block's options for the same rule, so a folder's block lists every group that applies to it.
 */

/** One forbidden import group: a regex over the specifier and the reason shown in the error. */
const forbid = (regex, message) => ({ regex, message });

const CDK_PACKAGES = '^(aws-cdk-lib|constructs|cdk-nag)(/|$)';

// shared/ is what the Lambdas load: it never reaches up into the app, the tools or the infrastructure.
const sharedRules = [
  forbid(
    '^(\\.\\./)+(lambdas|ops|lib|bin|sandbox|bench|test)(/|$)',
    "shared/ is the Lambdas' library: it must not import lambdas/, ops/, lib/, bin/, sandbox/, bench/ or test/. Move the code into shared/ or pass it in from the caller.",
  ),
  forbid(
    CDK_PACKAGES,
    'shared/ runs inside Lambdas: infrastructure packages (aws-cdk-lib, constructs, cdk-nag) belong in lib/.',
  ),
];

// The engines orchestrate over ports (shared/sync/ports.ts); adapters are plugged in by the handlers.
const engineRules = [
  ...sharedRules,
  forbid(
    '^(\\.\\./)+(shared/)?(hubspot|tripleseat|webex)(/|$)',
    'shared/sync (the engines) must not import vendor adapters (shared/hubspot, shared/tripleseat, shared/webex): depend on a port in shared/sync/ports.ts and let the handler pass the adapter in.',
  ),
];

// lib/ is infrastructure: from shared/ it takes only the config's types and validation, the metric and
// service names, and the table's key schema (one source, so the deployed table and the code's keys agree).
const libRules = [
  forbid(
    '^\\.\\./(lambdas|ops|sandbox|bench|test)(/|$)',
    'lib/ is infrastructure only: it must not import lambdas/, ops/, sandbox/, bench/ or test/ (reference a handler by its entry path, not by importing it).',
  ),
  forbid(
    '^\\.\\./shared/(?!config/|observability/|reconciliation/table-schema$)',
    'lib/ may import from shared/ only shared/config (types, validation), shared/observability (names) and shared/reconciliation/table-schema (key schema); runtime code stays out of the stack.',
  ),
];

// Handlers are thin: they wire shared/ together and nothing else.
const lambdaRules = [
  forbid(
    '^\\.\\./\\.\\./(?!shared/)',
    'lambdas/ may import only shared/ (not lib/, ops/, bin/, sandbox/, bench/ or test/).',
  ),
  forbid('^\\.\\./[^./]', 'a handler must not import another handler: share the code through shared/.'),
  forbid(CDK_PACKAGES, 'handlers run inside Lambdas: infrastructure packages belong in lib/.'),
];

// The CLI's operations run against real accounts: never against simulators or test code.
const opsRules = [
  forbid(
    '^\\.\\./(sandbox|bench|test)(/|$)',
    'ops/ must not import sandbox/, bench/ or test/: the CLI runs against real accounts (point it at the sandbox through its settings instead).',
  ),
];

const restrict = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  restrict(['shared/**/*.{ts,mts,js,mjs}'], sharedRules),
  // TODO(shared/sync/sync-webex.ts, shared/sync/webex-mapper.ts, shared/sync/webex/**): these import
  // shared/webex (attendee/event types, the field map and its extractors). The Webex engine is being
  // reshaped into shared/sync/webex/ right now; once those types sit behind a port in
  // shared/sync/ports.ts, drop these entries from `ignores` so the adapter rule covers them too.
  restrict(['shared/sync/**/*.{ts,mts,js,mjs}'], engineRules, [
    'shared/sync/sync-webex.ts',
    'shared/sync/webex-mapper.ts',
    'shared/sync/webex/**',
  ]),
  restrict(['lib/**/*.{ts,mts,js,mjs}'], libRules),
  restrict(['lambdas/**/*.{ts,mts,js,mjs}'], lambdaRules),
  restrict(['ops/**/*.{ts,mts,js,mjs}'], opsRules),
);
