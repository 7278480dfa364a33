// The architecture as rules (README "Architecture"): the hub is the core, every room imports
// only the core and the shared kernel (common, config), and nothing imports back. `npm run lint`
// runs this, so a forbidden import fails CI.
const ROOMS =
  '(stream|rest|prometheus|alerts|delivery|health|hosts|transport|metrics|host|auth|dashboard|rollups)';
const SHARED = '^src/(hub|common|config)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle between modules: split what both need into the one they share.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-knows-no-room',
      severity: 'error',
      comment:
        'The hub knows neither where samples come from nor who reads them: it imports only ' +
        'itself and the shared kernel.',
      from: { path: '^src/hub/' },
      to: { path: '^src/', pathNot: SHARED },
    },
    {
      name: 'shared-kernel-knows-no-room',
      severity: 'error',
      comment: 'common/ and config/ are imported by everyone, so they import no room and no core.',
      from: { path: '^src/(common|config)/' },
      to: { path: '^src/', pathNot: '^src/(common|config)/' },
    },
    {
      name: 'rooms-import-only-the-core',
      severity: 'error',
      comment:
        'Producers and consumers depend on the hub (and common, config), never on each other. ' +
        'Only app.module.ts, app.setup.ts and main.ts know every room.',
      from: { path: `^src/${ROOMS}/`, pathNot: '^src/(metrics|auth)/' },
      to: { path: '^src/', pathNot: [SHARED, '^src/$1/'] },
    },
    {
      name: 'the-sampler-imports-the-core-and-the-host',
      severity: 'error',
      comment:
        'The sampler (metrics/) reads the host through the host readers, and publishes to the hub.',
      from: { path: '^src/metrics/' },
      to: { path: '^src/', pathNot: [SHARED, '^src/(metrics|host)/'] },
    },
    {
      name: 'auth-imports-the-core-and-the-page-files',
      severity: 'error',
      comment: "Auth keeps the dashboard's own files open, so it knows where they are.",
      from: { path: '^src/auth/' },
      to: { path: '^src/', pathNot: [SHARED, '^src/(auth|dashboard)/'] },
    },
    {
      name: 'sampler-reads-the-host',
      severity: 'error',
      comment: 'Only the sampler (metrics/) reads the host; nothing reads it around the hub.',
      from: { path: '^src/', pathNot: ['^src/(metrics|host)/', '^src/[^/]+\\.ts$'] },
      to: { path: '^src/host/' },
    },
    {
      name: 'redis-behind-one-repository',
      severity: 'error',
      comment:
        'Redis is one external system: only the transport repository (and its client factory) talks to it.',
      from: {
        path: '^src/',
        pathNot: [
          '^src/transport/(redis-stream\\.repository|redis-client\\.factory)\\.ts$',
          '\\.spec\\.ts$',
        ],
      },
      to: { path: 'node_modules/ioredis/' },
    },
    {
      name: 'systeminformation-behind-one-reader',
      severity: 'error',
      comment: 'systeminformation forks processes: only the portable host reader calls it.',
      from: { path: '^src/', pathNot: '^src/host/portable-host\\.reader\\.ts$' },
      to: { path: 'node_modules/systeminformation/' },
    },
    {
      name: 'databases-behind-one-repository',
      severity: 'error',
      comment:
        'The rollup database is one external system: only its repository, migrations and the ' +
        'two store factories talk to it.',
      from: {
        path: '^src/',
        pathNot: [
          '^src/rollups/(rollup-bucket\\.repository|rollup-migrations|sqlite-rollup-store\\.factory|postgres-rollup-store\\.factory)\\.ts$',
          '\\.spec\\.ts$',
        ],
      },
      to: { path: 'node_modules/(kysely|pg|better-sqlite3)/' },
    },
  ],
  allowed: [],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are arrows too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
