// Placeholder entry so the stack can reference this handler; the real handler is built in its own issue.
export async function handler(): Promise<never> {
  throw new Error('not built yet');
}
