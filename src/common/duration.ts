const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds of a duration such as `500ms`, `30s`, `5m`, `1h`, `7d` or `1m30s` (Prometheus's
 * style); a bare `0` means none. undefined when `text` is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  if (text.trim() === '0') {
    return 0;
  }
  const parts = /^(?:\d+(?:ms|s|m|h|d))+$/.test(text) ? text.match(/\d+(?:ms|s|m|h|d)/g) : null;
  if (!parts) {
    return undefined;
  }
  return parts.reduce((total, part) => {
    const [, amount = '0', unit = 'ms'] = /^(\d+)(ms|s|m|h|d)$/.exec(part) ?? [];
    return total + Number(amount) * (UNITS[unit] ?? 0);
  }, 0);
}

/** The shortest text parseDuration reads back as `ms`. */
export function formatDuration(ms: number): string {
  if (ms === 0) {
    return '0s';
  }
  let rest = ms;
  let text = '';
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text;
}
