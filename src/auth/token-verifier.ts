import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

// Compared as SHA-256 digests: equal lengths whatever was sent, so neither the comparison's
// time nor a length check tells a caller anything about the token.
const same = (expected: Buffer, candidate: string | undefined): boolean =>
  candidate !== undefined && timingSafeEqual(expected, digest(candidate));

/**
 * Checks credentials against VITALS_TOKEN. The session cookie holds an HMAC of a fixed text
 * keyed by the token, never the token itself: it needs no server-side state (it works across
 * restarts and replicas), and changing the token signs every session out.
 */
export class TokenVerifier {
  /** The session cookie's value for this token. */
  readonly session: string;
  private readonly tokenDigest: Buffer;
  private readonly sessionDigest: Buffer;

  constructor(token: string) {
    this.tokenDigest = digest(token);
    this.session = createHmac('sha256', token).update('vitals session v1').digest('base64url');
    this.sessionDigest = digest(this.session);
  }

  matchesToken(candidate: string | undefined): boolean {
    return same(this.tokenDigest, candidate);
  }

  matchesSession(candidate: string | undefined): boolean {
    return same(this.sessionDigest, candidate);
  }
}
