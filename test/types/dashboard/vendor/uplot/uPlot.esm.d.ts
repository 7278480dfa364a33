// Types of the dashboard's `import uPlot from '../vendor/uplot/uPlot.esm.js'`: the page imports
// uPlot's ESM build by a relative URL (it works under a sub-path); tsconfig.public.json's
// rootDirs lay this folder over public/, so the import finds uPlot's own types here.
import uPlot from 'uplot';

export default uPlot;
