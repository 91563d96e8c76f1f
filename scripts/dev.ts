import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { loadConfigOrExit, type Config } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { fromRoot, projectRoot } from '../src/project-root.js';
import { startApp, type App } from '../src/server.js';
import { isListening, startAzurite, stopChild, waitForPort, type RunningAzurite } from './azurite.js';
import { DEMO_PARTNERSHIP, seedDemo, type DemoPlace } from './demo-seed.js';

/**
 * `npm start` and `npm run demo`: the bot with local storage (Azurite, unless a connection string
 * is given) and the Microsoft 365 Agents Playground pointed at it. Ctrl-C, or SIGTERM from an IDE or a
 * process manager, stops all three, at any moment of start-up too. `npm start` runs this through
 * scripts/start.js, in one process.
 */

const USAGE = 'usage: npm start, or npm run demo (node dist/scripts/dev.js [--demo])';

/** The launcher's one flag; anything else stops it with one line, before anything starts. */
function readFlags(args: string[]): { demo: boolean } {
  try {
    const { values } = parseArgs({ args, options: { demo: { type: 'boolean', default: false } }, strict: true });
    return { demo: values.demo };
  } catch (error) {
    // parseArgs explains in its first sentence ("Unknown option '--x'"); the rest is about positionals
    console.error(`${(error as Error).message.split('. ')[0]}; ${USAGE}`);
    process.exit(2);
  }
}

const { demo } = readFlags(process.argv.slice(2));

interface PlaygroundFile {
  tenantId: string;
  currentUser: { id: string; name: string; aadObjectId: string };
  users: Array<{ id: string; name: string; aadObjectId: string }>;
  personalChat: { id: string };
  groupChat: { id: string; name: string };
  team: { id: string; name: string; channels?: Array<{ id: string; name: string }> };
}

function demoPlace(): DemoPlace {
  const file = parseYaml(readFileSync(fromRoot('.m365agentsplayground.yml'), 'utf8')) as PlaygroundFile;
  const channel = file.team.channels?.[0];
  return {
    tenantId: file.tenantId,
    user: file.currentUser,
    people: file.users,
    personalChatId: file.personalChat.id,
    groupChat: file.groupChat,
    teamId: file.team.id,
    teamName: file.team.name,
    committeeChannel: channel ? { id: channel.id, name: channel.name } : undefined,
  };
}

/** The last of what the Playground printed, shown when it stops or does not start. */
let playgroundOutput = '';

function startPlayground(config: Config, botUrl: string): ChildProcess {
  const cli = join(
    dirname(createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/package.json')),
    'cli.js',
  );
  const args = [
    cli,
    '-e',
    `${botUrl}/api/messages`,
    '-c',
    'msteams',
    '--disable-telemetry',
    '-p',
    String(config.playground.port),
  ];
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BROWSER: 'none' },
  });
  const keep = (chunk: Buffer) => (playgroundOutput = (playgroundOutput + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', (code, signal) => {
    if (!stopping)
      console.error(
        `The Playground stopped (${signal ?? `exit code ${code}`}).${code === 1 ? ' Check .m365agentsplayground.yml: it exits with code 1 when that file breaks its rules.' : ''}\n${playgroundOutput.trim()}`,
      );
  });
  return child;
}

/** What has started so far, so that a signal at any moment stops exactly that. */
const running: { azurite?: RunningAzurite; app?: App; playground?: ChildProcess } = {};
let stopping = false;
const command = demo ? 'npm run demo' : 'npm start';

class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** A port someone else holds: which variable moves ours elsewhere. */
function portInUse(port: number, variable: string): StartupError {
  return new StartupError(
    `Port ${port} is in use (another ${command} still running?). Set ${variable} to a free port, e.g. ${variable}=${port + 1} ${command}`,
  );
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  let connectionString = config.storageConnectionString;
  // The demo keeps its own data, laid afresh at every start, so it never touches the partnership of `npm start`.
  const dataFolder = resolve(projectRoot, config.dataDir, demo ? 'demo' : 'azurite');
  if (!connectionString) {
    if (demo) rmSync(dataFolder, { recursive: true, force: true });
    running.azurite = await startAzurite({ location: dataFolder });
    connectionString = running.azurite.connectionString;
  }
  if (stopping) return;
  const app = await startApp({ config, logger, connectionString }).catch((error: unknown) => {
    throw (error as { code?: string }).code === 'EADDRINUSE' ? portInUse(config.port, 'PORT') : error;
  });
  running.app = app;
  if (demo) await seedDemo(app.services, demoPlace(), new Date());
  if (stopping) return;
  app.scheduler?.start();

  if (config.playground.enabled) {
    if (await isListening(config.playground.port)) throw portInUse(config.playground.port, 'PLAYGROUND_PORT');
    running.playground = startPlayground(config, app.url);
    await waitForPort(config.playground.port, 60_000, running.playground).catch((error: unknown) => {
      if (!stopping) {
        console.error(`The Playground did not start: ${(error as Error).message}\n${playgroundOutput.trim()}`);
      }
    });
  }
  if (stopping) return;

  const lines = [
    '',
    demo ? `Governance Bot is running with the demo partnership "${DEMO_PARTNERSHIP}".` : 'Governance Bot is running.',
    `  Bot endpoint: ${app.url}/api/messages`,
    `  Health:       ${app.url}/healthz`,
    `  Storage:      ${running.azurite ? `Azurite on 127.0.0.1:${running.azurite.port}, data in ${relative(projectRoot, dataFolder)}/${demo ? ' (laid afresh at every demo start)' : ''}` : 'STORAGE_CONNECTION_STRING'}`,
    ...(running.playground
      ? [`  Playground:   http://localhost:${config.playground.port}  (open it in a browser and type help)`]
      : []),
    demo
      ? '  Try: kpi, kpi red, kpi FTF, setup show'
      : '  Try: help, then setup partnership "Cheshire ICT Shared Service" councils=CEC:50,CWAC:50',
    'Press Ctrl-C to stop.',
    '',
  ];
  console.log(lines.join('\n'));
}

/** Stops whatever has started, the Playground first (it may be what start-up is waiting for), Azurite last. */
async function stopAll(): Promise<void> {
  if (running.playground) await stopChild(running.playground);
  await startup.catch(() => undefined);
  await Promise.allSettled([
    running.playground ? stopChild(running.playground) : Promise.resolve(),
    running.app?.close(),
  ]);
  await running.azurite?.stop();
}

function onSignal(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  console.log(`Stopping (${signal})…`);
  void stopAll().then(() => process.exit(0));
}

// Listening from the first moment: a signal during start-up stops what has started so far.
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

const startup = main();
startup.catch(async (error: unknown) => {
  console.error(
    error instanceof StartupError
      ? error.message
      : `Start-up failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  if (stopping) return;
  stopping = true;
  await stopAll();
  process.exit(1);
});
