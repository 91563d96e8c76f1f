import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { actorOf, conversationOf, mentionsOf } from '../../src/bot/activity.js';
import { toActivity, toInvokeResponse } from '../../src/bot/governance-bot.js';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { CredentialsFactory } from '../../src/bot/index.js';
import { startApp, type App } from '../../src/server.js';
import { cardText, startConnectorStub, type ConnectorStub, type SentActivity } from './connector-stub.js';
import {
  invokeResponseCard,
  postActivity,
  teamsActivities,
  type Account,
  type TeamsActivities,
  type TeamsText,
  type Where,
} from './teams.js';

/** A fixed "now" (a Wednesday in P8 of 2026/27), so periods and RAG do not depend on the day tests run. */
export const TEST_NOW = new Date('2026-11-25T12:00:00Z');

export interface TestBot {
  readonly app: App;
  readonly stub: ConnectorStub;
  readonly teams: TeamsActivities;
  readonly url: string;
  /** The prefix of its tables; another bot started with it shares its storage. */
  readonly tablePrefix: string;
  /** Posts a message and returns the bot's reply as a person reads it (card text, or the message text). */
  say(where: Where, from: Account, text: string | TeamsText): Promise<Reply>;
  /**
   * Runs a command through the router in memory (no HTTP, no connector): fast, for the rules of a
   * command. The answer is rendered as the bot would send it. Proactive sends still go to the stub.
   */
  ask(where: Where, from: Account, text: string | TeamsText): Promise<Reply>;
  /** A card button, in memory; the answer is the card that replaces the one clicked. */
  press(where: Where, from: Account, verb: string, data?: Record<string, unknown>): Promise<Reply>;
  /** Clicks an Action.Execute button and returns the card that replaces it, as text. */
  click(where: Where, from: Account, verb: string, data?: Record<string, unknown>): Promise<Reply>;
  close(): Promise<void>;
}

export interface Reply {
  readonly text: string;
  readonly card: Record<string, unknown> | undefined;
  readonly activity: SentActivity | undefined;
}

export function replyOf(activity: SentActivity): Reply {
  const card = activity.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
    ?.content as Record<string, unknown> | undefined;
  return { text: card ? cardText(card) : (activity.text ?? ''), card, activity };
}

export interface TestBotOptions {
  readonly env?: Record<string, string>;
  readonly now?: () => Date;
  readonly config?: Partial<Config>;
  /**
   * Tables of another test bot (its `tablePrefix`): two bots on one storage account, as two
   * instances behind a load balancer serve one partnership.
   */
  readonly tablePrefix?: string;
  /** Another bot's connector stub, so both bots' sends land in one place; the other bot closes it. */
  readonly stub?: ConnectorStub;
  /** Another way to the run's Azurite (e.g. through a request counter), or another storage account (an outage test's own Azurite). */
  readonly connectionString?: string;
  /** With Bot Framework credentials: the bot's own calls to the stub then need no identity service. */
  readonly credentialsFactory?: CredentialsFactory;
}

export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const ownStub = options.stub === undefined;
  const stub = options.stub ?? (await startConnectorStub());
  const tablePrefix = options.tablePrefix ?? `t${randomBytes(5).toString('hex')}`;
  const teams = teamsActivities(stub.url);
  const config: Config = {
    ...loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...options.env }),
    // Tests send one message after another as fast as the bot answers, far faster than a tenant's people type.
    tenantSendRatePerSecond: 10_000,
    ...options.config,
  };
  const app = await startApp({
    config,
    logger: createLogger(config.logLevel),
    connectionString: options.connectionString ?? inject('storageConnectionString'),
    tablePrefix,
    clock: options.now ?? (() => TEST_NOW),
    ...(options.credentialsFactory ? { credentialsFactory: options.credentialsFactory } : {}),
  });
  return {
    app,
    stub,
    teams,
    tablePrefix,
    url: app.url,
    async say(where, from, text) {
      const before = stub.sent.length;
      const result = await postActivity(app.url, teams.message(where, from, text));
      if (result.status !== 200)
        throw new Error(`the bot answered HTTP ${result.status}: ${JSON.stringify(result.body)}`);
      // Cards updated in place meanwhile (a follow-up of an earlier click) are not the answer.
      const answer = (sent: SentActivity[]) => sent.slice(before).find((a) => a.delivery.kind !== 'update');
      const sent = await stub.waitFor((all) => answer(all) !== undefined, undefined, 'the answer to the message');
      return replyOf(answer(sent)!);
    },
    async ask(where, from, text) {
      const activity = teams.message(where, from, text) as unknown as Partial<Activity>;
      const { botMentions, people } = mentionsOf(activity);
      const answer = await app.router.handleMessage({
        text: activity.text ?? '',
        botMentions,
        mentions: people,
        actor: actorOf(activity),
        conversation: conversationOf(activity),
      });
      return replyOf({
        ...toActivity(answer),
        id: 'in-memory',
        delivery: { kind: 'send', conversationId: '', at: 0 },
      } as SentActivity);
    },
    async press(where, from, verb, data = {}) {
      const activity = teams.invoke(where, from, verb, data) as unknown as Partial<Activity>;
      const answer = await app.router.handleAction({
        verb,
        data,
        actor: actorOf(activity),
        conversation: conversationOf(activity),
      });
      const body = toInvokeResponse(answer).body as { type: string; value: unknown };
      const card = invokeResponseCard(body);
      return { text: card ? cardText(card) : String(body.value), card, activity: undefined };
    },
    async click(where, from, verb, data = {}) {
      const result = await postActivity(app.url, teams.invoke(where, from, verb, data));
      if (result.status !== 200)
        throw new Error(`the bot answered HTTP ${result.status}: ${JSON.stringify(result.body)}`);
      const card = invokeResponseCard(result.body);
      const body = result.body as { value?: unknown };
      return {
        text: card ? cardText(card) : typeof body?.value === 'string' ? body.value : '',
        card,
        activity: undefined,
      };
    },
    async close() {
      await app.close(1000);
      if (ownStub) await stub.close();
    },
  };
}
