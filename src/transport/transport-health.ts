/** How the link to Redis is doing, for /health/ready. */
export interface TransportHealth {
  ready: boolean;
  details: Record<string, unknown>;
}
