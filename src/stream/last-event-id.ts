/** The `Last-Event-ID` header: undefined when absent or blank. The hub checks its form. */
export function readLastEventId(header: string | undefined): string | undefined {
  const value = header?.trim();
  return value ? value : undefined;
}
