/**
 * `npm start` and `npm run demo` as an IDE or a process manager runs them: the signal goes to the
 * npm process alone, and the bot, Azurite and the Playground must all stop and give their ports
 * back. A port that is taken is named with the variable that moves it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, isListening } from '../../scripts/azurite.js';
import { fromRoot, projectRoot } from '../../src/project-root.js';

interface Launch {
  readonly child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

const started: Array<{ launch: Launch; dataDir: string }> = [];

function launch(command: string, args: readonly string[], env: Record<string, string>): Launch {
  const dataDir = mkdtempSync(join(tmpdir(), 'governance-launcher-'));
  const child = spawn(command, args, {
    cwd: projectRoot,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', STORAGE_CONNECTION_STRING: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = { child, output: () => output, exited };
  started.push({ launch: running, dataDir });
  return running;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, launched: Launch) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms:\n${launched.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function azuritePort(output: string): number {
  const port = /Azurite on 127\.0\.0\.1:(\d+)/.exec(output)?.[1];
  if (!port) throw new Error(`the launcher did not say where Azurite runs:\n${output}`);
  return Number(port);
}

afterEach(async () => {
  for (const { launch: l, dataDir } of started.splice(0)) {
    if (l.child.exitCode === null && l.child.signalCode === null) l.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

describe('npm start and npm run demo', () => {
  it.each([
    ['SIGTERM', 'demo', 'on'],
    ['SIGINT', 'start', 'off'],
  ] as const)(
    'stop the bot, Azurite and the Playground when npm alone gets %s (npm %s, Playground %s)',
    async (signal, script, playground) => {
      const [port, playgroundPort] = [await freePort(), await freePort()];
      const npm = launch('npm', script === 'demo' ? ['run', 'demo'] : ['start'], {
        PORT: String(port),
        PLAYGROUND: playground,
        PLAYGROUND_PORT: String(playgroundPort),
      });
      await until('start-up', () => npm.output().includes('Press Ctrl-C to stop.'), 150_000, npm);
      const ports = [port, azuritePort(npm.output()), ...(playground === 'on' ? [playgroundPort] : [])];
      for (const p of ports) expect(await isListening(p), `port ${p}`).toBe(true);

      npm.child.kill(signal);

      await until('npm exiting', () => npm.child.exitCode !== null || npm.child.signalCode !== null, 20_000, npm);
      await until(
        `ports ${ports.join(', ')} given back`,
        async () => (await Promise.all(ports.map(isListening))).every((open) => !open),
        20_000,
        npm,
      );
      expect(npm.output()).toContain(`Stopping (`);
    },
  );

  describe('with a port taken', () => {
    let holder: Server | undefined;
    afterEach(() => new Promise<void>((resolve) => (holder ? holder.close(() => resolve()) : resolve())));

    async function hold(): Promise<number> {
      const port = await freePort();
      holder = createServer();
      await new Promise<void>((resolve) => holder!.listen(port, '127.0.0.1', resolve));
      return port;
    }

    it("says to set PORT when the bot's port is taken, and leaves nothing running", async () => {
      const taken = await hold();
      const dev = launch(process.execPath, [fromRoot('dist', 'scripts', 'dev.js')], {
        PORT: String(taken),
        PLAYGROUND: 'off',
      });
      expect(await dev.exited).toBe(1);
      expect(dev.output()).toContain(`Port ${taken} is in use`);
      expect(dev.output()).toContain(`Set PORT to a free port, e.g. PORT=${taken + 1} npm start`);
    });

    it("says to set PLAYGROUND_PORT when the Playground's port is taken, and stops the bot and Azurite", async () => {
      const [taken, port] = [await hold(), await freePort()];
      const dev = launch(process.execPath, [fromRoot('dist', 'scripts', 'dev.js'), '--demo'], {
        PORT: String(port),
        PLAYGROUND_PORT: String(taken),
      });
      expect(await dev.exited).toBe(1);
      expect(dev.output()).toContain(
        `Set PLAYGROUND_PORT to a free port, e.g. PLAYGROUND_PORT=${taken + 1} npm run demo`,
      );
      expect(await isListening(port)).toBe(false);
    });
  });
});
