import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { fromRoot } from '../../src/project-root.js';

/**
 * The bot and the benchmark's programs as plain JavaScript under dist/.smoke/, transpiled file by
 * file without type checking (about a second; `npm test` type-checks separately), so that a test
 * can start them as their own processes without a build.
 */
export interface TranspiledPrograms {
  readonly bot: string;
  readonly floor: string;
  readonly probe: string;
}

const OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  isolatedModules: true,
  esModuleInterop: true,
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

export function transpileBenchPrograms(): TranspiledPrograms {
  const out = fromRoot('dist', '.smoke');
  const files = [
    ...sources(fromRoot('src')),
    ...['bot.ts', 'probe.ts', 'floor-bot.ts'].map((file) => fromRoot('bench', file)),
  ];
  for (const file of files) {
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: OPTIONS, fileName: file });
    const target = join(out, relative(fromRoot(), file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  return {
    bot: join(out, 'bench', 'bot.js'),
    floor: join(out, 'bench', 'floor-bot.js'),
    probe: join(out, 'bench', 'probe.js'),
  };
}
