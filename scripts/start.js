/**
 * `npm start` and `npm run demo`: builds, then runs the dev launcher (dist/scripts/dev.js) in this
 * same process. npm passes the SIGINT or SIGTERM an IDE or a process manager sends it to the one
 * process it started; a shell chain (`build && node …`) would take it and leave the bot, Azurite
 * and the Playground running. npm runs a script through /bin/sh, which (dash) keeps waiting on a
 * SIGINT, so package.json `exec`s this file in the shell's place. Should npm die without passing a
 * signal on, this process sees its parent go and stops as if it had been told to.
 * Plain JavaScript: it runs before anything is compiled.
 */
/* global process, console, setInterval */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Read before the build: npm may be gone by the time it ends.
const parent = process.ppid;
const parentGone = () => process.platform !== 'win32' && process.ppid !== parent;

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('The build failed (see above); nothing was started.');
  process.exit(build.status ?? 1);
}
if (parentGone()) process.exit(0);
setInterval(() => {
  if (parentGone()) process.kill(process.pid, 'SIGTERM');
}, 200).unref();
await import(pathToFileURL(join(root, 'dist', 'scripts', 'dev.js')).href);
