import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The dashboard's own files: public/ at the project root (beside dist/ and src/). */
export const PUBLIC_DIR = fileURLToPath(new URL('../../public', import.meta.url));

/** Where uPlot's ES module build (uPlot.esm.js) is served from, and the folder it is in. */
export const UPLOT_ROUTE = '/vendor/uplot';
export const UPLOT_DIR = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.esm.js'));
