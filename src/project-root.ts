import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder above `start` that holds a package.json. */
function folderWithPackageJson(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

/** The project's folder: this file runs from src/ under vitest and from dist/src/ once compiled, and neither holds a package.json. */
export const projectRoot: string = folderWithPackageJson(dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, e.g. `fromRoot('manifest', 'manifest.json')`. */
export function fromRoot(...parts: string[]): string {
  return join(projectRoot, ...parts);
}
