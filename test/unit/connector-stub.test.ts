import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import restify from 'restify';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ConversationReference,
} from 'botbuilder';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  cardText,
  startConnectorStub,
  type ConnectorStub,
} from '../support/connector-stub.js';
import {
  alex,
  channel,
  invokeResponseCard,
  mentions,
  personalChat,
  postActivity,
  priya,
  sam,
  teamsActivities,
} from '../support/teams.js';

let stub: ConnectorStub;

beforeAll(async () => {
  stub = await startConnectorStub();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(() => {
  stub.clear();
  stub.members.clear();
  stub.teams.clear();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(new URL(path, stub.url), {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

const conv = (id: string): string => `v3/conversations/${encodeURIComponent(id)}`;

const card = (text: string) => ({
  type: 'message',
  attachments: [
    {
      contentType: ADAPTIVE_CARD_CONTENT_TYPE,
      content: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text }] },
    },
  ],
});

describe('connector stub', () => {
  it('listens on 127.0.0.1 with a trailing-slash base URL', () => {
    expect(stub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('records a POST to a conversation and answers 201 with an id', async () => {
    const res = await call('POST', `${conv('a:1personal-alex')}/activities`, { type: 'message', text: 'Hello Alex' });

    expect(res.status).toBe(201);
    const { id } = res.body as { id: string };
    expect(id).toMatch(/^\d+$/);
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]).toMatchObject({
      method: 'POST',
      conversationId: 'a:1personal-alex',
      activity: { type: 'message', text: 'Hello Alex' },
      status: 201,
      injected: false,
    });
    expect(stub.requests[0]?.at).toBeTypeOf('number');
    expect(stub.sent).toHaveLength(1);
    expect(stub.lastSent()).toMatchObject({
      id,
      text: 'Hello Alex',
      delivery: { kind: 'send', conversationId: 'a:1personal-alex' },
    });
    expect(stub.texts()).toEqual(['Hello Alex']);
  });

  it('handles replies, updates, deletes and conversation creation', async () => {
    const reply = await call(
      'POST',
      `${conv('a:1x')}/activities/${encodeURIComponent('1700000000000')}`,
      card('First'),
    );
    expect(reply.status).toBe(201);
    const replyId = (reply.body as { id: string }).id;

    const update = await call('PUT', `${conv('a:1x')}/activities/${replyId}`, card('Second'));
    expect(update.status).toBe(200);
    expect(update.body).toEqual({ id: replyId });

    expect((await call('DELETE', `${conv('a:1x')}/activities/${replyId}`)).status).toBe(200);

    const created = await call('POST', 'v3/conversations', {
      isGroup: false,
      bot: { id: '28:bot-id' },
      members: [{ id: '29:1sam' }],
      tenantId: 't',
      activity: { type: 'message', text: 'Proactive hello' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), activityId: expect.any(String) });

    const thread = await call('POST', 'v3/conversations', {
      isGroup: true,
      channelData: { channel: { id: '19:board@thread.tacv2' } },
      activity: { type: 'message', text: 'New thread' },
    });
    const { id: threadId, activityId } = thread.body as { id: string; activityId: string };
    expect(threadId).toBe(`19:board@thread.tacv2;messageid=${activityId}`);

    expect(stub.sent.map((a) => a.delivery.kind)).toEqual(['reply', 'update', 'create', 'create']);
    expect(stub.sent[0]?.delivery.replyToId).toBe('1700000000000');
    expect(stub.updates()).toHaveLength(1);
    expect(stub.updates()[0]?.delivery.activityId).toBe(replyId);
    expect(stub.cards().map((c) => cardText(c))).toEqual(['First', 'Second']);
    expect(cardText(stub.lastCard())).toBe('Second');
    expect(stub.sentTo('19:board@thread.tacv2').map((a) => a.text)).toEqual(['New thread']);
    expect(stub.requests.map((r) => r.method)).toEqual(['POST', 'PUT', 'DELETE', 'POST', 'POST']);
  });

  it('answers seeded members, team details, and 404 JSON for the rest', async () => {
    const sam = { id: '29:1sam', name: 'Sam Jones', aadObjectId: '11111111-2222-4333-8444-555555555555' };
    stub.members.set('19:team@thread.tacv2', [sam]);
    stub.teams.set('19:team@thread.tacv2', {
      id: '19:team@thread.tacv2',
      name: 'Shared ICT',
      aadGroupId: 'g',
      channels: [{ id: '19:c', name: 'Board' }],
    });

    expect((await call('GET', `${conv('19:team@thread.tacv2')}/members`)).body).toEqual([sam]);
    expect((await call('GET', `${conv('19:team@thread.tacv2')}/pagedmembers`)).body).toEqual({ members: [sam] });
    // By Teams id or by AAD object id; a thread id falls back to its channel/team.
    expect(
      (await call('GET', `${conv('19:team@thread.tacv2')}/members/${encodeURIComponent('29:1sam')}`)).body,
    ).toEqual(sam);
    expect((await call('GET', `${conv('19:team@thread.tacv2;messageid=5')}/members/${sam.aadObjectId}`)).body).toEqual(
      sam,
    );

    const missing = await call('GET', `${conv('19:team@thread.tacv2')}/members/nobody`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'MemberNotFoundInConversation' } });

    expect((await call('GET', `v3/teams/${encodeURIComponent('19:team@thread.tacv2')}`)).body).toEqual({
      id: '19:team@thread.tacv2',
      name: 'Shared ICT',
      aadGroupId: 'g',
    });
    expect((await call('GET', `v3/teams/${encodeURIComponent('19:team@thread.tacv2')}/conversations`)).body).toEqual({
      conversations: [{ id: '19:c', name: 'Board' }],
    });

    const unknown = await call('GET', 'v3/nothing/here');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'NotFound' } });
    expect(stub.sent).toHaveLength(0);
  });

  it('answers 429 with Retry-After after failNext, records the attempt but not as sent', async () => {
    stub.failNext(1, { status: 429, retryAfterSeconds: 2 });

    const throttled = await call('POST', `${conv('a:1x')}/activities`, { type: 'message', text: 'one' });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    expect(throttled.body).toMatchObject({ error: { code: expect.any(String) } });
    expect(stub.sent).toHaveLength(0);
    expect(stub.requests[0]).toMatchObject({ status: 429, injected: true, activity: { text: 'one' } });

    const retried = await call('POST', `${conv('a:1x')}/activities`, { type: 'message', text: 'one' });
    expect(retried.status).toBe(201);
    expect(stub.texts()).toEqual(['one']);
  });

  it('queues failure rules in order, with custom bodies, and leaves other routes alone', async () => {
    const blocked = {
      error: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' },
    };
    stub.failNext(2, { status: 429 });
    stub.failNext(1, { status: 403, body: blocked });

    // Not a send call: not failed, does not use up a rule.
    expect((await call('GET', `${conv('a:1x')}/members`)).status).toBe(200);

    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1)
      statuses.push((await call('POST', `${conv('a:1x')}/activities`, { type: 'message', text: `m${i}` })).status);
    expect(statuses).toEqual([429, 429, 403, 201]);
    expect(stub.requests[3]?.status).toBe(403);
    expect((await call('PUT', `${conv('a:1x')}/activities/1`, { type: 'message', text: 'u' })).status).toBe(200);
    expect(stub.texts()).toEqual(['m3', 'u']);

    stub.failNext(Infinity, { status: 404, match: (r) => r.conversationId === 'a:1gone' });
    const gone = await call('POST', `${conv('a:1gone')}/activities`, { type: 'message' });
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ error: { code: 'ConversationNotFound' } });
    expect((await call('POST', `${conv('a:1here')}/activities`, { type: 'message' })).status).toBe(201);
    stub.clear();
    expect((await call('POST', `${conv('a:1gone')}/activities`, { type: 'message' })).status).toBe(201);
  });

  it('waitForSent resolves when activities arrive later', async () => {
    const waiting = stub.waitForSent(2, 2000);
    await call('POST', `${conv('a:1x')}/activities`, { type: 'message', text: 'a' });
    await call('POST', `${conv('a:1x')}/activities`, { type: 'message', text: 'b' });
    const sent = await waiting;
    expect(sent.map((a) => a.text)).toEqual(['a', 'b']);
  });

  it('waitForSent times out with a message that lists what was sent', async () => {
    await call('POST', `${conv('a:1x')}/activities`, card('KPIs: 2 Green, 1 Red'));
    stub.failNext(1, { status: 500 });
    await call('POST', `${conv('a:1x')}/activities`, { type: 'message', text: 'lost' });

    const error = await stub.waitForSent(2, 50).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toContain('expected at least 2 sent activities within 50 ms, got 1');
    expect(error?.message).toContain('KPIs: 2 Green, 1 Red');
    expect(error?.message).toMatch(/POST conversation a:1x -> 500 \(injected\)/);

    await expect(
      stub.waitFor((sent) => sent.some((a) => a.text === 'never'), 30, 'a message saying "never"'),
    ).rejects.toThrow(/a message saying "never" did not happen within 30 ms/);
  });

  it('keeps typing indicators out of sent', async () => {
    await call('POST', `${conv('a:1x')}/activities`, { type: 'typing' });
    await call('POST', `${conv('a:1x')}/activities`, { type: 'message', text: 'done' });
    expect(stub.requests).toHaveLength(2);
    expect(stub.sent.map((a) => a.type)).toEqual(['message']);
  });

  it('tells a listener of each delivery as it arrives, and stops when asked', async () => {
    const heard: string[] = [];
    const stop = stub.onDelivered((a) => heard.push(`${a.delivery.kind} ${a.delivery.conversationId} ${a.text}`));
    await call('POST', `${conv('a:1x')}/activities`, { type: 'typing' });
    await call('POST', `${conv('a:1x')}/activities/7`, { type: 'message', text: 'first' });
    stop();
    await call('POST', `${conv('a:1x')}/activities`, { type: 'message', text: 'second' });
    expect(heard).toEqual(['reply a:1x first']);
    expect(stub.sent).toHaveLength(2);
  });

  it('keeps nothing when told not to retain, for long load runs', async () => {
    const lean = await startConnectorStub({ retain: false });
    try {
      const heard: string[] = [];
      lean.onDelivered((a) => heard.push(a.text ?? ''));
      const response = await fetch(new URL(`${conv('a:1y')}/activities`, lean.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'kept nowhere' }),
      });
      expect(response.status).toBe(201);
      expect(heard).toEqual(['kept nowhere']);
      expect(lean.requests).toHaveLength(0);
      expect(lean.sent).toHaveLength(0);
    } finally {
      await lean.close();
    }
  });

  it('decodes conversation ids such as a:b;messageid=1 from the path', async () => {
    await call('POST', `${conv('a:b;messageid=1')}/activities/${encodeURIComponent('1:reply@x')}`, {
      type: 'message',
      text: 'r',
    });
    expect(stub.requests[0]?.path).toContain('a%3Ab%3Bmessageid%3D1');
    expect(stub.requests[0]).toMatchObject({ conversationId: 'a:b;messageid=1', replyToId: '1:reply@x' });
    expect(stub.lastSent()?.delivery).toMatchObject({ conversationId: 'a:b;messageid=1', replyToId: '1:reply@x' });
  });

  it("receives what botbuilder's own client sends, with its encoding", async () => {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const reference: Partial<ConversationReference> = {
      serviceUrl: stub.url,
      channelId: 'msteams',
      bot: { id: '28:bot-id', name: 'Governance Bot' },
      conversation: {
        id: '19:board@thread.tacv2;messageid=1700000000000',
        isGroup: true,
        conversationType: 'channel',
        tenantId: 't',
        name: '',
      },
    };
    let sentId: string | undefined;
    await adapter.continueConversationAsync('', reference, async (context) => {
      sentId = (await context.sendActivity('Digest ready'))?.id;
    });
    expect(sentId).toBe(stub.lastSent()?.id);
    expect(stub.lastSent()).toMatchObject({
      text: 'Digest ready',
      delivery: { conversationId: '19:board@thread.tacv2;messageid=1700000000000' },
    });
  });
});

describe('with teams.ts activities and a botbuilder bot', () => {
  /** A bare echo bot: what it receives is what the builders built, as botbuilder reads it. */
  class EchoBot extends TeamsActivityHandler {
    constructor() {
      super();
      this.onMessage(async (context, next) => {
        const text = TurnContext.removeRecipientMention(context.activity)?.trim();
        const mentioned = TurnContext.getMentions(context.activity).map((m) => m.mentioned.name);
        await context.sendActivity(
          `${context.activity.conversation.conversationType}: ${text} (mentions: ${mentioned.join(', ')})`,
        );
        await next();
      });
    }
    protected override async onAdaptiveCardInvoke(
      context: TurnContext,
      value: AdaptiveCardInvokeValue,
    ): Promise<AdaptiveCardInvokeResponse> {
      const body = [
        {
          type: 'TextBlock',
          text: `${value.action.verb} by ${context.activity.from.name}: ${JSON.stringify(value.action.data)}`,
        },
      ];
      return {
        statusCode: 200,
        type: ADAPTIVE_CARD_CONTENT_TYPE,
        value: { type: 'AdaptiveCard', version: '1.5', body },
      };
    }
  }

  it('round-trips a channel message, a personal message and a card click', async () => {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const bot = new EchoBot();
    const server = restify.createServer();
    server.use(restify.plugins.bodyParser());
    server.post('/api/messages', async (req, res) => {
      await adapter.process(req, res, (context) => bot.run(context));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const botUrl = `http://127.0.0.1:${server.address().port}`;
      const teams = teamsActivities(stub.url);
      const board = channel();

      const post = teams.message(board, alex, mentions`role grant ${sam} approver`);
      expect(post.text).toBe('<at>Governance Bot</at> role grant <at>Sam Jones</at> approver');
      expect(post.conversation.id).toBe(`${board.channelId};messageid=${post.id}`);
      expect((await postActivity(botUrl, post)).status).toBe(200);
      expect((await postActivity(botUrl, teams.message(personalChat(alex), alex, 'kpi'))).status).toBe(200);

      await stub.waitForSent(2);
      expect(stub.texts()).toEqual([
        'channel: role grant <at>Sam Jones</at> approver (mentions: Governance Bot, Sam Jones)',
        'personal: kpi (mentions: )',
      ]);
      expect(stub.sent[0]?.delivery).toMatchObject({
        kind: 'reply',
        conversationId: post.conversation.id,
        replyToId: post.id,
      });

      const click = await postActivity(
        botUrl,
        teams.invoke(board, priya, 'approve', { approvalId: 'A-1' }, { title: 'Approve' }),
      );
      expect(click.status).toBe(200);
      expect(cardText(invokeResponseCard(click.body))).toBe('approve by Priya Shah: {"approvalId":"A-1"}');
    } finally {
      server.close();
    }
  });
});

describe('cardText', () => {
  it('walks nested containers, columns, tables, rich text, facts and actions in reading order', () => {
    const nested = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'TextBlock', text: 'Budget position', weight: 'Bolder' },
        {
          type: 'Container',
          items: [
            {
              type: 'ColumnSet',
              columns: [
                { type: 'Column', items: [{ type: 'TextBlock', text: 'Forecast' }] },
                {
                  type: 'Column',
                  items: [{ type: 'Container', items: [{ type: 'TextBlock', text: '£845,000 overspend' }] }],
                },
              ],
            },
            { type: 'TextBlock', text: 'Not shown', isVisible: false },
            { type: 'Image', url: 'https://example.invalid/x.png', altText: 'chart' },
          ],
        },
        {
          type: 'RichTextBlock',
          inlines: [
            { type: 'TextRun', text: 'RAG: ' },
            { type: 'TextRun', text: 'Red', color: 'Attention' },
          ],
        },
        {
          type: 'FactSet',
          facts: [
            { title: 'Income', value: '-£1.890m' },
            { title: 'Staffing', value: '£1,040,616' },
          ],
        },
        {
          type: 'Table',
          columns: [{ width: 1 }, { width: 1 }],
          rows: [
            {
              type: 'TableRow',
              cells: [
                { type: 'TableCell', items: [{ type: 'TextBlock', text: 'CEC' }] },
                { type: 'TableCell', items: [{ type: 'TextBlock', text: '40%' }] },
              ],
            },
          ],
        },
        { type: 'Input.ChoiceSet', id: 'c', label: 'Council', choices: [{ title: 'CEC', value: 'cec' }] },
        { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Approve', verb: 'approve' }] },
      ],
      actions: [
        { type: 'Action.Execute', title: 'Reject', verb: 'reject' },
        {
          type: 'Action.ShowCard',
          title: 'Details',
          card: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Payback 4 years' }] },
        },
      ],
    };

    expect(cardText(nested).split('\n')).toEqual([
      'Budget position',
      'Forecast',
      '£845,000 overspend',
      'RAG: Red',
      'Income',
      '-£1.890m',
      'Staffing',
      '£1,040,616',
      'CEC',
      '40%',
      'Council',
      'CEC',
      'Approve',
      'Reject',
      'Details',
      'Payback 4 years',
    ]);
  });

  it('accepts an attachment or an invoke response, and gives "" for anything else', () => {
    const content = { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Approved by Priya Shah' }] };
    expect(cardText({ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content })).toBe('Approved by Priya Shah');
    expect(cardText({ statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: content })).toBe(
      'Approved by Priya Shah',
    );
    expect(cardText(undefined)).toBe('');
    expect(cardText('text')).toBe('');
  });
});
