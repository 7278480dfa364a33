/**
 * A URL as an error message may show it, quoted: never its credentials, query or fragment (a
 * token often rides there), and for a `secret` URL (a Slack or Discord webhook, an ntfy topic,
 * anything from the environment) only its scheme and host, the rest as `…`.
 */
export function shownUrl(text: string, secret: boolean): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.host === '') {
    // No URL with a host (`example.com/x`, or `localhost:9093` read as a scheme): the text
    // before any query, less anything up to an `@`, unless it is a secret.
    return secret ? '"…"' : JSON.stringify(text.replace(/[?#].*$/s, '').replace(/^[^/]*@/, ''));
  }
  const origin = `${url.protocol}//${url.host}`;
  if (secret) {
    return JSON.stringify(`${origin}/…`);
  }
  const rest = url.search !== '' || url.hash !== '' ? '?…' : '';
  return JSON.stringify(`${origin}${url.pathname === '/' ? '' : url.pathname}${rest}`);
}
