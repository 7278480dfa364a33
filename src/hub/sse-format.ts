/** One Server-Sent Events frame. */
export interface SseMessage {
  event?: string;
  id?: string;
  retry?: number;
  data?: string;
  comment?: string;
}

/**
 * The wire text of a frame. `data` must be one line (JSON.stringify output is); ids and event
 * names come from the server, never from a client.
 */
export function formatSse({ event, id, retry, data, comment }: SseMessage): string {
  let text = '';
  if (comment !== undefined) {
    text += `: ${comment}\n`;
  }
  if (event !== undefined) {
    text += `event: ${event}\n`;
  }
  if (id !== undefined) {
    text += `id: ${id}\n`;
  }
  if (retry !== undefined) {
    text += `retry: ${retry}\n`;
  }
  if (data !== undefined) {
    text += `data: ${data}\n`;
  }
  return `${text}\n`;
}
