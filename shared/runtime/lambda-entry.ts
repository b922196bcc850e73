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
