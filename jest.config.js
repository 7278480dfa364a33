// Jest runs in native ESM mode (see package.json "test"); ts-jest compiles with tsconfig.spec.json
// and the swagger plugin, so e2e tests see the same OpenAPI schemas as `nest build`.
const transform = {
  '^.+\\.ts$': [
    'ts-jest',
    {
      useESM: true,
      tsconfig: '<rootDir>/tsconfig.spec.json',
      astTransformers: { before: ['<rootDir>/test/swagger-plugin.transformer.cjs'] },
    },
  ],
};

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform,
  clearMocks: true,
  restoreMocks: true,
  testEnvironment: 'node',
};

export default {
  projects: [
    { ...common, displayName: 'unit', rootDir: '.', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    // The dashboard's pure modules (public/js): plain ES modules, imported as they are (the
    // transform leaves .js alone; package.json's "type": "module" makes them ESM).
    {
      ...common,
      displayName: 'dashboard',
      rootDir: '.',
      testMatch: ['<rootDir>/test/dashboard/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
  // E2E specs run real servers and real ticks; some wait for a dozen samples.
  testTimeout: 30000,
};
