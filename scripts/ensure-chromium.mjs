// Before the e2e suite: make sure a Chromium exists, installing one when none does, and say what happened.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './chromium.mjs';

function run(cmd, args) {
  console.log(`[chromium] $ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return r.status === 0;
}

const found = await findChromium();
if (found.source !== 'none') {
  console.log(`[chromium] using ${found.source}${found.path ? ` at ${found.path}` : ''}`);
  process.exit(0);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
if (isRoot && isDebian) {
  console.log("[chromium] no Chromium found; installing Debian's chromium with apt-get (root on Debian)");
  const ok = run('apt-get', ['update', '-qq']) && run('apt-get', ['install', '-y', '-qq', 'chromium']);
  if (ok && existsSync('/usr/bin/chromium')) {
    console.log('[chromium] installed /usr/bin/chromium');
    process.exit(0);
  }
  console.error('[chromium] apt-get could not install chromium');
} else {
  console.log("[chromium] no Chromium found; installing Playwright's own (npx playwright install chromium)");
  if (run('npx', ['playwright', 'install', 'chromium'])) process.exit(0);
}
console.error(
  '[chromium] No browser for the e2e suite. Install one yourself: `sudo apt-get install chromium` on Debian/Ubuntu, ' +
    '`npx playwright install chromium` elsewhere, or set CHROMIUM_PATH to a Chromium/Chrome binary.',
);
process.exit(1);
