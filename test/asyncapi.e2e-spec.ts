import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import request from 'supertest';
import { type TestApp, startTestApp } from './helpers/test-app.js';

describe('GET /asyncapi.json', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t.app.close();
  });

  it('should serve an AsyncAPI 3 document that the AsyncAPI parser accepts without errors', async () => {
    const response = await request(t.url).get('/asyncapi.json').expect(200);

    const { document, diagnostics } = await new Parser().parse(response.text);

    const errors = diagnostics.filter(
      (d) => Number(d.severity) === Number(DiagnosticSeverity.Error),
    );
    expect(errors).toEqual([]);
    expect(document?.version()).toMatch(/^3\./);
    expect(
      document
        ?.channels()
        .get('stream')
        ?.messages()
        .all()
        .map((message) => message.name()),
    ).toEqual(['meta', 'sample', 'alert', 'gap', 'hosts']);
  });

  it('should describe the sample payload with the same fields as the OpenAPI document', async () => {
    const asyncapi = (await request(t.url).get('/asyncapi.json')).body as {
      components: { schemas: Record<string, { properties: object; required?: string[] }> };
    };
    const openapi = (await request(t.url).get('/docs-json')).body as typeof asyncapi;

    const { SampleDto, CpuStatsDto } = asyncapi.components.schemas;
    expect(Object.keys(SampleDto!.properties)).toEqual(
      Object.keys(openapi.components.schemas.SampleDto!.properties),
    );
    expect(CpuStatsDto!.properties).toHaveProperty('iowait.type', ['number', 'null']);
  });
});
