/** How a failed command's error is printed: the operator's message alone for known problems. */

/**
 * The message of an error the operator can act on (OpsError, ConfigError, vendor ApiError,
 * CredentialsError, LabelResolutionError), or name plus message for anything else. The error classes are
 * imported only here, on the error path, so a command's start does not pay for them.
 */
export async function describeError(error: unknown): Promise<string> {
  const [{ OpsError }, { ConfigError }, { ApiError }, { CredentialsError }, { LabelResolutionError }] =
    await Promise.all([
      import('../context'),
      import('../../shared/config/app-config'),
      import('../../shared/rate-limit/errors'),
      import('../../shared/runtime/credentials'),
      import('../../shared/schema'),
    ]);
  if (
    error instanceof OpsError ||
    error instanceof ConfigError ||
    error instanceof ApiError ||
    error instanceof CredentialsError ||
    error instanceof LabelResolutionError
  ) {
    return error.message;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
