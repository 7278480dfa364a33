import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

// Debian's chromium (`.ci/run` installs it); the test tool's own browser download cannot work
// on a machine without internet. CHROMIUM_PATH points elsewhere.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where browser tests leave their screenshots (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts', import.meta.url));

const LAUNCH_ARGS = [
  '--no-sandbox', // root in CI
  // Keep Chromium off the (closed) network.
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // window.gc(), for the memory check.
  '--js-flags=--expose-gc',
];

/** Fails with what to do when there is no browser at CHROMIUM. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No browser at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
  }
}

/** A headless Chromium that asks the network for nothing of its own. */
export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
