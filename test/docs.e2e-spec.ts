import { readFileSync } from 'node:fs';
import request from 'supertest';
import { SAMPLE_GROUPS } from '../src/hub/sample-group.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

interface OpenApi {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<string, { content?: object }>;
        security?: Array<Record<string, string[]>>;
      }
    >
  >;
  components: {
    schemas: Record<string, { properties?: Record<string, unknown> }>;
    securitySchemes?: Record<string, { type: string; scheme?: string }>;
  };
}

describe('API documentation', () => {
  let t: TestApp;
  let document: OpenApi;

  beforeAll(async () => {
    t = await startTestApp();
    document = (await request(t.url).get('/docs-json').expect(200)).body as OpenApi;
  });

  afterAll(async () => {
    await t.app.close();
  });

  it('should document every route when the OpenAPI document is fetched', () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/v1/alerts',
      '/api/v1/alerts/deliveries',
      '/api/v1/hosts',
      '/api/v1/metrics',
      '/api/v1/metrics/history',
      '/api/v1/metrics/rollups',
      '/api/v1/session',
      '/api/v1/stream',
      '/health/live',
      '/health/ready',
      '/metrics',
      '/stream',
    ]);
  });

  it('should declare the bearer token that Swagger UI can send, on every route but the probes', () => {
    expect(document.components.securitySchemes?.token).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(document.paths['/api/v1/metrics']!.get!.security).toEqual([{ token: [] }]);
    expect(document.paths['/api/v1/stream']!.get!.security).toEqual([{ token: [] }]);
    expect(document.paths['/health/ready']!.get!.security).toBeUndefined();
  });

  it('should describe the stream as text/event-stream and its errors as JSON', () => {
    const responses = document.paths['/api/v1/stream']!.get!.responses;

    expect(Object.keys(responses['200']!.content!)).toEqual(['text/event-stream']);
    expect(Object.keys(responses['400']!.content!)).toEqual(['application/json']);
  });

  it('should describe the sample and error schemas field by field', () => {
    const { schemas } = document.components;

    expect(Object.keys(schemas.SampleDto!.properties!)).toEqual([
      'id',
      'timestamp',
      'host',
      ...SAMPLE_GROUPS,
    ]);
    expect(Object.keys(schemas.CpuStatsDto!.properties!)).toEqual(
      expect.arrayContaining(['usage', 'iowait', 'steal', 'cores', 'load', 'count']),
    );
    expect(Object.keys(schemas.ErrorResponseDto!.properties!)).toEqual([
      'statusCode',
      'error',
      'message',
      'code',
    ]);
  });

  it('should serve Swagger UI at /docs', async () => {
    const response = await request(t.url).get('/docs').redirects(1);

    expect(response.status).toBe(200);
    expect(response.text).toContain('swagger-ui');
  });

  it('should match the committed openapi.json so API changes show in review', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'),
    ) as unknown;

    // Regenerate with `npm run openapi:generate` after changing the API.
    expect(document).toEqual(committed);
  });
});
