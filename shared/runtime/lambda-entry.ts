import { z } from 'zod';
import type { InvocationContext, Observability } from './observability';

/**
 * What every handler module shares: the deployed `handler` is its factory applied to process.env on
 * the first (cold) invocation — not at import, so the sandbox can import several handlers into one
 * process without an environment for each.
 */
export function onFirstInvocation<Event, Context, Result>(
  createHandler: () => (event: Event, context: Context) => Promise<Result>,
): (event: Event, context: Context) => Promise<Result> {
  let handler: ((event: Event, context: Context) => Promise<Result>) | undefined;
  return (event, context) => {
    handler ??= createHandler();
    return handler(event, context);
  };
}

/** The Lambda context fields a log line carries; anything else in the context is ignored. */
const LoggedContextSchema = z.object({
  awsRequestId: z.string().min(1),
  functionName: z.string().optional(),
  functionVersion: z.string().optional(),
  invokedFunctionArn: z.string().optional(),
  memoryLimitInMB: z.string().optional(),
});

/**
 * Call first in every invocation: the invocation's log lines then carry its request id. A context
 * without one (a test calling the handler bare) leaves the log lines as they are.
 */
export function logInvocationContext(
  observability: Pick<Observability, 'withContext'>,
  context: unknown,
): void {
  const parsed = LoggedContextSchema.safeParse(context);
  if (!parsed.success || !observability.withContext) return;
  const invocation: InvocationContext = parsed.data;
  observability.withContext(invocation);
}
