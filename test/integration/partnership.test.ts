import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { partnershipIdFor } from '../../src/domain/partnership.js';
import { auditEntries } from '../support/cards.js';
import { replyOf, startTestBot, type TestBot } from '../support/bot-harness.js';
import { meetAt } from '../support/concurrency.js';
import {
  alex,
  channel,
  groupChat,
  jo,
  mentions,
  otherTenantId,
  personalChat,
  postActivity,
  priya,
  sam,
  tenantId,
  type Person,
  type Where,
} from '../support/teams.js';

/** A grammar line as a person reads it: cards show placeholders in ‹look-alike› brackets, plain text in <angle> ones. */
function grammar(usage: string): RegExp {
  return new RegExp(
    usage
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/</g, '[<‹]')
      .replace(/>/g, '[>›]'),
  );
}

const NOT_SET_UP = 'This conversation is not set up yet';

describe('Partnerships', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  async function setUp(where: Where, name: string, councils = 'CEC:50,CWAC:50', who: Person = alex) {
    const reply = await bot.say(where, who, `setup partnership "${name}" councils=${councils}`);
    expect(reply.text, 'the partnership should be set up').toContain(`${name} is set up`);
    return reply;
  }

  const idOf = (name: string, tenant = tenantId) => partnershipIdFor(name, tenant);
  const bindingsOf = async (name: string, tenant = tenantId) =>
    bot.app.services.partnerships.listBindings(idOf(name, tenant));
  const lookupOf = (where: Where) =>
    bot.app.services.partnerships.findBinding([{ kind: 'conversation', conversationId: where.conversationId }]);
  /** Every row kept for a partnership (profile, links, roles, KPIs, audit), by RowKey. */
  const rowsOf = async (name: string, tenant = tenantId) => {
    const rows: string[] = [];
    const filter = `PartitionKey eq '${idOf(name, tenant)}'`;
    for await (const row of bot.app.storage.tables.partnerships.listEntities({ queryOptions: { filter } }))
      rows.push(String(row.rowKey));
    return rows;
  };

  /** Posts the messages at once and returns the bot's answers as text, in any order. */
  async function atOnce(...messages: Array<[Where, Person, string]>): Promise<string[]> {
    const before = bot.stub.sent.length;
    const results = await Promise.all(
      messages.map(([where, who, text]) => postActivity(bot.url, bot.teams.message(where, who, text))),
    );
    expect(results.map((r) => r.status)).toEqual(messages.map(() => 200));
    return (await bot.stub.waitForSent(before + messages.length)).slice(before).map((a) => replyOf(a).text);
  }

  describe('setup partnership', () => {
    it('creates the partnership with its councils and shares and links this conversation', async () => {
      const where = groupChat('19:partnership-create@thread.v2', { name: 'Shared service leads' });
      const reply = await bot.say(
        where,
        alex,
        'setup partnership "Cheshire ICT Shared Service" councils=CEC:50,CWAC:50',
      );
      expect(reply.text).toContain('Cheshire ICT Shared Service is set up');
      expect(reply.text).toContain('you are its admin');
      expect(reply.text).toContain('CEC');
      expect(reply.text).toContain('CWAC');
      expect(reply.text).toContain('50% share');

      const show = await bot.say(where, sam, 'setup show');
      expect(show.text).toContain('Cheshire ICT Shared Service');
      expect(show.text).toContain('group chat Shared service leads');
      expect(show.text).toContain('Alex Morgan');
    });

    it('links the whole team when set up in a channel, so another channel of the team sees it', async () => {
      const teamId = '19:partnership-team@thread.tacv2';
      const board = channel({
        teamId,
        channelId: '19:partnership-board@thread.tacv2',
        teamName: 'Tri-borough ICT',
        channelName: 'Programme Board',
      });
      const finance = channel({
        teamId,
        channelId: '19:partnership-finance@thread.tacv2',
        teamName: 'Tri-borough ICT',
        channelName: 'Finance',
      });
      const reply = await setUp(board, 'Team Wide ICT Partnership');
      expect(reply.text).toContain('This team (team Tri-borough ICT) is linked to it');

      const show = await bot.say(finance, sam, 'setup show');
      expect(show.text).toContain('Team Wide ICT Partnership');
      expect(show.text).toContain('team Tri-borough ICT');
      expect(show.text).toContain('all channels');
    });

    it('accepts decimal shares', async () => {
      const where = groupChat('19:partnership-decimal@thread.v2');
      const reply = await setUp(where, 'Tri-borough Decimal ICT', 'LBHF:37.5,RBKC:37.5,WCC:25');
      expect(reply.text).toContain('37.5% share');
      const show = await bot.say(where, alex, 'setup show');
      expect(show.text).toContain('LBHF\n37.5%');
      expect(show.text).toContain('RBKC\n37.5%');
      expect(show.text).toContain('WCC\n25%');
    });

    it.each([
      ['shares that do not add up to 100', 'CEC:60,CWAC:50', 'the shares add up to 110%, not 100%'],
      [
        'shares that add up to less than 100',
        'CEC:33.33,CWAC:33.33,HBC:33.33',
        'the shares add up to 99.99%, not 100%',
      ],
      ['one council', 'CEC:100', 'a partnership has 2 to 10 councils; 1 given'],
      [
        'eleven councils',
        'AA:10,AB:10,AC:10,AD:10,AE:10,AF:10,AG:10,AH:10,AI:10,AJ:5,AK:5',
        'a partnership has 2 to 10 councils; 11 given',
      ],
      ['a one-letter council code', 'C:50,CWAC:50', 'council code "C" must be 2 to 10 letters or digits'],
      ['a council code that starts with a digit', '1CEC:50,CWAC:50', '"1CEC:50" is not a council and its share'],
      ['a council without its share', 'CEC,CWAC:100', '"CEC" is not a council and its share'],
      ['a council listed twice', 'CEC:50,cec:50', 'council CEC is listed twice'],
      ['a council with no share', 'CEC:0,CWAC:100', 'council CEC needs a share above 0%'],
    ])('refuses %s and stores nothing', async (_case, councils, problem) => {
      const name = `Refused ${councils.slice(0, 12).replace(/[^A-Za-z0-9]/g, ' ')} ICT`;
      const where = groupChat(`19:partnership-refused-${councils.replace(/[^A-Za-z0-9]/g, '-')}@thread.v2`);
      const reply = await bot.say(where, alex, `setup partnership "${name}" councils=${councils}`);
      expect(reply.text).toContain(problem);
      expect(reply.text).toMatch(grammar('setup partnership "<name>" councils=<CODE>:<share>,<CODE>:<share>'));
      expect(reply.text).toContain('Nothing was changed');
      expect((await bot.say(where, alex, 'setup show')).text).toContain(NOT_SET_UP);
      expect(await bot.app.services.partnerships.get(idOf(name))).toBeUndefined();
    });

    it('refuses a name that is too short and says how long it must be', async () => {
      const where = groupChat('19:partnership-short-name@thread.v2');
      const reply = await bot.say(where, alex, 'setup partnership "X" councils=CEC:50,CWAC:50');
      expect(reply.text).toContain('the partnership name needs 3 to 80 characters');
      expect((await bot.say(where, alex, 'setup show')).text).toContain(NOT_SET_UP);
    });

    it('asks for the councils when they are missing', async () => {
      const where = groupChat('19:partnership-no-councils@thread.v2');
      const reply = await bot.say(where, alex, 'setup partnership "No Councils ICT"');
      expect(reply.text).toContain('councils= is missing');
      expect(await bot.app.services.partnerships.get(idOf('No Councils ICT'))).toBeUndefined();
    });

    it('refuses a second partnership with the same name and links nothing', async () => {
      await setUp(groupChat('19:partnership-original@thread.v2'), 'Duplicate Name ICT');
      for (const typed of ['Duplicate Name ICT', 'duplicate name ict']) {
        const elsewhere = groupChat('19:partnership-copycat@thread.v2');
        const reply = await bot.say(elsewhere, sam, `setup partnership "${typed}" councils=CEC:70,CWAC:30`);
        expect(reply.text).toContain('exists already');
        expect(reply.text).toContain('setup link');
        expect((await bot.say(elsewhere, sam, 'setup show')).text).toContain(NOT_SET_UP);
      }
      const original = await bot.say(groupChat('19:partnership-original@thread.v2'), alex, 'setup show');
      expect(original.text).toContain('CEC\n50%');
      expect(original.text).toContain('Admins\nAlex Morgan');
      expect(original.text).not.toContain('Sam Jones');
      expect(await bindingsOf('Duplicate Name ICT')).toHaveLength(1);
    });

    it('refuses to set up a conversation that is linked already', async () => {
      const where = groupChat('19:partnership-already@thread.v2');
      await setUp(where, 'Already Linked ICT');
      const reply = await bot.say(where, alex, 'setup partnership "Another One ICT" councils=CEC:50,CWAC:50');
      expect(reply.text).toContain('already linked to Already Linked ICT');
      expect(await bot.app.services.partnerships.get(idOf('Another One ICT'))).toBeUndefined();
    });

    it('lets exactly one of two set-ups typed at once in one chat win, tells the other, and keeps nothing of it', async () => {
      const where = groupChat('19:partnership-race@thread.v2', { name: 'Race board' });
      const meeting = meetAt(bot.app.services.partnerships, 'create', 2);
      let answers: string[];
      try {
        answers = await atOnce(
          [where, alex, 'setup partnership "Race Alpha ICT" councils=CEC:50,CWAC:50'],
          [where, sam, 'setup partnership "Race Beta ICT" councils=LBHF:50,RBKC:50'],
        );
      } finally {
        meeting.restore();
      }
      const won = answers.filter((a) => a.includes(' is set up'));
      const lost = answers.filter((a) =>
        a.includes('This conversation was linked to another partnership a moment ago. Nothing was changed'),
      );
      expect(won, answers.join('\n---\n')).toHaveLength(1);
      expect(lost, answers.join('\n---\n')).toHaveLength(1);
      const [winner, loser] = won[0]!.startsWith('Race Alpha ICT')
        ? ['Race Alpha ICT', 'Race Beta ICT']
        : ['Race Beta ICT', 'Race Alpha ICT'];

      // The chat is the winner's, and so is every row of its link.
      expect((await lookupOf(where))?.partnershipId).toBe(idOf(winner));
      expect((await bot.say(where, jo, 'setup show')).text.split('\n')[0]).toBe(winner);
      expect(await bindingsOf(winner)).toHaveLength(1);
      // Nothing of the loser: no profile, no admin, no link, no audit row.
      expect(await bot.app.services.partnerships.get(idOf(loser))).toBeUndefined();
      expect(await rowsOf(loser)).toEqual([]);
      // So its name is free again.
      await setUp(groupChat('19:partnership-race-later@thread.v2'), loser, 'CEC:50,CWAC:50', priya);
      expect((await lookupOf(where))?.partnershipId).toBe(idOf(winner));
    });

    it('stores a new partnership with its admin, its link and its audit row together', async () => {
      const where = groupChat('19:partnership-rows@thread.v2', { name: 'Rows board' });
      await setUp(where, 'Rows Together ICT');
      const rows = await rowsOf('Rows Together ICT');
      expect(rows.filter((r) => !r.startsWith('audit|')).sort()).toEqual([
        'binding|conv:19:partnership-rows@thread.v2',
        'profile',
        `role|${alex.id}|admin|*`,
      ]);
      expect(rows.filter((r) => r.startsWith('audit|'))).toHaveLength(1);
      const audit = await bot.say(where, alex, 'audit');
      expect(audit.text).toContain('setup partnership "Rows Together ICT" councils=CEC:50,CWAC:50');
      const created = auditEntries(audit).find((e) => e.change === 'partnership Rows Together ICT added');
      expect(created?.fields).toMatchObject({
        councils: 'CEC 50%, CWAC 50%',
        linked: 'group chat Rows board',
        admin: 'Alex Morgan',
      });
    });
  });

  describe('setup link', () => {
    it("links the admin's personal chat to the partnership", async () => {
      await setUp(groupChat('19:partnership-link-admin@thread.v2', { name: 'Link board' }), 'Linkable ICT');
      const mine = personalChat(alex, { id: 'a:1personal-partnership-link-alex' });
      const reply = await bot.say(mine, alex, 'setup link "Linkable ICT"');
      expect(reply.text).toContain('Linked to Linkable ICT');
      const show = await bot.say(mine, alex, 'setup show');
      expect(show.text).toContain('Linkable ICT');
      expect(show.text).toContain('personal chat with Alex Morgan');
      expect(show.text).toContain('group chat Link board');
    });

    it("refuses a link by someone who is not the partnership's admin, names its admins and changes nothing", async () => {
      await setUp(groupChat('19:partnership-link-refused@thread.v2'), 'Guarded ICT');
      const theirs = personalChat(sam, { id: 'a:1personal-partnership-link-sam' });
      const reply = await bot.say(theirs, sam, 'setup link "Guarded ICT"');
      expect(reply.text).toContain('You need the admin role');
      expect(reply.text).toContain('Alex Morgan');
      expect(reply.text).toContain('Nothing was changed');
      expect((await bot.say(theirs, sam, 'setup show')).text).toContain(NOT_SET_UP);
      expect(await bindingsOf('Guarded ICT')).toHaveLength(1);
    });

    it('does not find a partnership of another tenant', async () => {
      await setUp(groupChat('19:partnership-link-tenant@thread.v2'), 'Home Tenant ICT');
      const foreign = personalChat(alex, { id: 'a:1personal-partnership-foreign', tenantId: otherTenantId });
      const reply = await bot.say(foreign, alex, 'setup link "Home Tenant ICT"');
      expect(reply.text).toContain('There is no partnership called "Home Tenant ICT"');
      expect(await bindingsOf('Home Tenant ICT')).toHaveLength(1);
    });

    it('says a partnership is not there when the name is wrong', async () => {
      const reply = await bot.say(
        personalChat(jo, { id: 'a:1personal-partnership-jo' }),
        jo,
        'setup link "Nowhere ICT"',
      );
      expect(reply.text).toContain('There is no partnership called "Nowhere ICT"');
    });
  });

  describe('tenants', () => {
    it('lets another organisation use the same name for its own partnership, and each sees only its own', async () => {
      const ours = groupChat('19:partnership-tenant-name-ours@thread.v2');
      const theirs = groupChat('19:partnership-tenant-name-theirs@thread.v2', { tenantId: otherTenantId });
      await setUp(ours, 'Common Name ICT', 'CEC:50,CWAC:50', alex);

      const reply = await bot.say(theirs, sam, 'setup partnership "Common Name ICT" councils=LBHF:60,RBKC:40');
      expect(reply.text).toContain('Common Name ICT is set up');
      expect(reply.text).not.toContain('exists already');

      const ourShow = await bot.say(ours, jo, 'setup show');
      expect(ourShow.text).toContain('CEC\n50%');
      expect(ourShow.text).toContain('Admins\nAlex Morgan');
      expect(ourShow.text).not.toContain('LBHF');
      const theirShow = await bot.say(theirs, jo, 'setup show');
      expect(theirShow.text).toContain('LBHF\n60%');
      expect(theirShow.text).toContain('Admins\nSam Jones');
      expect(theirShow.text).not.toContain('CWAC');
      expect(idOf('Common Name ICT', otherTenantId)).not.toBe(idOf('Common Name ICT'));
      expect(await bindingsOf('Common Name ICT')).toHaveLength(1);
      expect(await bindingsOf('Common Name ICT', otherTenantId)).toHaveLength(1);
    });

    it('does not let an admin of one organisation link a chat of another to its partnership, nor tell them it exists', async () => {
      await setUp(groupChat('19:partnership-tenant-hidden@thread.v2'), 'Hidden Tenant ICT');
      const foreign = groupChat('19:partnership-tenant-hidden-foreign@thread.v2', { tenantId: otherTenantId });
      const reply = await bot.say(foreign, alex, 'setup link "Hidden Tenant ICT"');
      expect(reply.text).toContain('There is no partnership called "Hidden Tenant ICT"');
      expect(reply.text).not.toContain('Alex Morgan');
      expect(reply.text).not.toContain('You need the admin role');
      expect((await bot.say(foreign, alex, 'setup show')).text).toContain(NOT_SET_UP);
      expect(await bindingsOf('Hidden Tenant ICT')).toHaveLength(1);
    });

    it('refuses an activity from another tenant in a linked conversation and changes nothing', async () => {
      const id = '19:partnership-tenant-bound@thread.v2';
      await setUp(groupChat(id), 'Tenant Guarded ICT');
      const intruder = groupChat(id, { tenantId: otherTenantId });

      const show = await bot.say(intruder, alex, 'setup show');
      expect(show.text).toContain('Not available here');
      expect(show.text).toContain('another organisation');
      expect(show.text).not.toContain('Tenant Guarded ICT');
      expect(show.text).not.toContain('CWAC');

      const grant = await bot.say(intruder, alex, mentions`role grant ${sam} editor`);
      expect(grant.text).toContain('Not available here');
      const roles = await bot.say(groupChat(id), alex, 'role list');
      expect(roles.text).not.toContain('Sam Jones');
    });

    it('refuses a card button clicked from another tenant in a linked conversation', async () => {
      const id = '19:partnership-tenant-click@thread.v2';
      await setUp(groupChat(id), 'Tenant Click ICT');
      const clicked = await bot.click(groupChat(id, { tenantId: otherTenantId }), alex, 'kpi.page', { offset: '0' });
      expect(clicked.text).toContain('Not available here');
      expect(clicked.text).not.toContain('Tenant Click ICT');
      // Help reads nothing of any partnership, so it answers anyone, even when storage is down.
      expect((await bot.click(groupChat(id, { tenantId: otherTenantId }), alex, 'help')).text).not.toContain(
        'Tenant Click ICT',
      );
    });

    it('refuses an activity from another tenant in a channel of a linked team', async () => {
      const teamId = '19:partnership-tenant-team@thread.tacv2';
      await setUp(channel({ teamId, channelId: '19:partnership-tenant-general@thread.tacv2' }), 'Tenant Team ICT');
      const intruder = channel({
        teamId,
        channelId: '19:partnership-tenant-other@thread.tacv2',
        tenantId: otherTenantId,
      });
      const reply = await bot.say(intruder, alex, 'kpi');
      expect(reply.text).toContain('Not available here');
    });
  });

  describe('set-ups racing for one chat', () => {
    it('keeps the chat linked when the same set-up arrives twice at once (Teams re-sends a slow message)', async () => {
      const where = groupChat('19:partnership-twice-at-once@thread.v2');
      const text = 'setup partnership "Twice At Once ICT" councils=CEC:50,CWAC:50';
      const meeting = meetAt(bot.app.services.partnerships, 'create', 2);
      let answers: string[];
      try {
        answers = await atOnce([where, alex, text], [where, alex, text]);
      } finally {
        meeting.restore();
      }
      expect(answers.filter((a) => a.startsWith('Twice At Once ICT is set up'))).toHaveLength(1);
      expect((await lookupOf(where))?.partnershipId).toBe(idOf('Twice At Once ICT'));
    });

    it('does not let a second set-up take over a chat while the first one is still being written', async () => {
      const where = groupChat('19:partnership-slow-write@thread.v2');
      const table = bot.app.storage.tables.partnerships;
      const submit = table.submitTransaction.bind(table);
      let batches = 0;
      // The first batch (the first set-up's) is slow to reach storage, as it may be on a busy day.
      const slow = vi.spyOn(table, 'submitTransaction').mockImplementation(async (actions) => {
        if (++batches === 1) await new Promise((resolve) => setTimeout(resolve, 500));
        return submit(actions);
      });
      let answers: string[];
      try {
        const before = bot.stub.sent.length;
        await Promise.all([
          postActivity(
            bot.url,
            bot.teams.message(where, alex, 'setup partnership "Slow Write Alpha ICT" councils=CEC:50,CWAC:50'),
          ),
          new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
            postActivity(
              bot.url,
              bot.teams.message(where, sam, 'setup partnership "Slow Write Beta ICT" councils=CEC:50,CWAC:50'),
            ),
          ),
        ]);
        answers = (await bot.stub.waitForSent(before + 2)).slice(before).map((a) => replyOf(a).text);
      } finally {
        slow.mockRestore();
      }
      expect(answers.filter((a) => a.includes(' is set up'))).toHaveLength(1);
    });
  });

  describe('setup unlink', () => {
    it('unlinks the chat, which is then not set up, keeps the partnership, and puts the unlink in the audit', async () => {
      const chat = groupChat('19:partnership-unlink@thread.v2', { name: 'Unlink board' });
      const mine = personalChat(alex, { id: 'a:1personal-partnership-unlink' });
      await setUp(chat, 'Unlink ICT');
      expect((await bot.say(mine, alex, 'setup link "Unlink ICT"')).text).toContain('Linked to Unlink ICT');

      const reply = await bot.say(chat, alex, 'setup unlink');
      expect(reply.text).toContain('Unlinked from Unlink ICT');
      expect(reply.text).toContain('The group chat Unlink board no longer sees the partnership');
      expect(reply.text).toContain('setup link "Unlink ICT"');

      const after = await bot.say(chat, sam, 'kpi');
      expect(after.text).toContain(NOT_SET_UP);
      expect(await lookupOf(chat)).toBeUndefined();
      const show = await bot.say(mine, alex, 'setup show');
      expect(show.text).toContain('Unlink ICT');
      expect(show.text).toContain('personal chat with Alex Morgan');
      expect(show.text).not.toContain('Unlink board');
      expect(await bindingsOf('Unlink ICT')).toHaveLength(1);

      const audit = await bot.say(mine, alex, 'audit');
      expect(audit.text).toContain('setup unlink');
      const unlink = auditEntries(audit).find((e) => e.command === 'setup unlink');
      expect(unlink?.change).toBe('link group chat Unlink board removed');
      expect(unlink?.fields).toEqual({ partnership: 'Unlink ICT', linked: 'group chat Unlink board' });
    });

    it('can link the chat again afterwards', async () => {
      const chat = groupChat('19:partnership-relink@thread.v2', { name: 'Relink board' });
      await setUp(chat, 'Relink ICT');
      await bot.say(chat, alex, 'setup unlink');
      expect((await bot.say(chat, alex, 'setup link "Relink ICT"')).text).toContain('Linked to Relink ICT');
      expect((await bot.say(chat, sam, 'setup show')).text).toContain('group chat Relink board');
      expect(await bindingsOf('Relink ICT')).toHaveLength(1);
    });

    it('unlinks the whole team when typed in one of its channels', async () => {
      const teamId = '19:partnership-unlink-team@thread.tacv2';
      const board = channel({
        teamId,
        channelId: '19:partnership-unlink-board@thread.tacv2',
        teamName: 'Unlink Team',
        channelName: 'Board',
      });
      const finance = channel({
        teamId,
        channelId: '19:partnership-unlink-finance@thread.tacv2',
        teamName: 'Unlink Team',
        channelName: 'Finance',
      });
      await setUp(board, 'Unlink Team ICT');
      expect((await bot.say(finance, sam, 'setup show')).text).toContain('Unlink Team ICT');

      const reply = await bot.say(finance, alex, 'setup unlink');
      expect(reply.text).toContain('Unlinked from Unlink Team ICT');
      expect(reply.text).toContain('team Unlink Team');
      expect((await bot.say(board, sam, 'kpi')).text).toContain(NOT_SET_UP);
      expect((await bot.say(finance, sam, 'kpi')).text).toContain(NOT_SET_UP);
      expect(await bindingsOf('Unlink Team ICT')).toEqual([]);
    });

    it('refuses someone who is not an admin, names the admins, and keeps the link', async () => {
      const chat = groupChat('19:partnership-unlink-refused@thread.v2');
      await setUp(chat, 'Unlink Refused ICT');
      const reply = await bot.say(chat, sam, 'setup unlink');
      expect(reply.text).toContain('You need the admin role');
      expect(reply.text).toContain('Alex Morgan');
      expect(reply.text).toContain('Nothing was changed');
      expect((await bot.say(chat, sam, 'setup show')).text).toContain('Unlink Refused ICT');
      expect((await lookupOf(chat))?.partnershipId).toBe(idOf('Unlink Refused ICT'));
    });

    it('says a chat that is not linked is not set up', async () => {
      const reply = await bot.say(groupChat('19:partnership-unlink-none@thread.v2'), alex, 'setup unlink');
      expect(reply.text).toContain(NOT_SET_UP);
    });
  });

  describe('setup show', () => {
    it('lists the councils, their shares and every linked conversation', async () => {
      const teamId = '19:partnership-show-team@thread.tacv2';
      const chat = groupChat('19:partnership-show@thread.v2', { name: 'Finance leads' });
      await setUp(chat, 'Show Me ICT', 'CEC:40,CWAC:35,HBC:25');
      await bot.say(
        channel({ teamId, teamName: 'Show Me Team', channelId: '19:partnership-show-channel@thread.tacv2' }),
        alex,
        'setup link "Show Me ICT"',
      );
      await bot.say(personalChat(alex, { id: 'a:1personal-partnership-show' }), alex, 'setup link "Show Me ICT"');

      const show = await bot.say(chat, sam, 'setup show');
      expect(show.text).toContain('Show Me ICT');
      expect(show.text).toContain('CEC\n40%');
      expect(show.text).toContain('CWAC\n35%');
      expect(show.text).toContain('HBC\n25%');
      expect(show.text).toContain('group chat Finance leads\nthis chat only');
      expect(show.text).toContain('team Show Me Team\nall channels');
      expect(show.text).toContain('personal chat with Alex Morgan\nthis chat only');
      expect(show.text).toContain('Your roles\nviewer');
    });
  });

  describe('setup channel committee', () => {
    const teamId = '19:partnership-committee-team@thread.tacv2';
    const general = channel({ teamId, teamName: 'Joint Committee', channelName: 'General' });
    const committee = channel({
      teamId,
      teamName: 'Joint Committee',
      channelId: '19:partnership-committee@thread.tacv2',
      channelName: 'Committee papers',
    });
    const officers = channel({
      teamId,
      teamName: 'Joint Committee',
      channelId: '19:partnership-officers@thread.tacv2',
      channelName: 'Officers',
    });

    beforeAll(async () => {
      await setUp(general, 'Committee ICT');
    });

    it('marks the channel as a committee channel and shows it in setup show', async () => {
      const reply = await bot.say(committee, alex, 'setup channel committee');
      expect(reply.text).toContain('Joint Committee › Committee papers is a committee channel');
      const show = await bot.say(general, sam, 'setup show');
      expect(show.text).toContain('Committee channels');
      expect(show.text).toContain('Joint Committee › Committee papers');
      expect(show.text).not.toContain('Officers');

      const again = await bot.say(committee, alex, 'setup channel committee');
      expect(again.text).toContain('It was one already; nothing changed.');
    });

    it('refuses in a personal chat and says why', async () => {
      const mine = personalChat(alex, { id: 'a:1personal-partnership-committee' });
      await bot.say(mine, alex, 'setup link "Committee ICT"');
      const reply = await bot.say(mine, alex, 'setup channel committee');
      expect(reply.text).toContain('setup channel works in a team channel only');
      expect(reply.text).toContain('Nothing was changed');
    });

    it('refuses someone who is not an admin and changes nothing', async () => {
      const reply = await bot.say(officers, sam, 'setup channel committee');
      expect(reply.text).toContain('You need the admin role');
      expect(reply.text).toContain('Alex Morgan');
      expect(reply.text).toContain('Nothing was changed');
      const show = await bot.say(general, alex, 'setup show');
      expect(show.text).not.toContain('Officers');
    });

    it('asks for the kind of channel when it is not known', async () => {
      const reply = await bot.say(officers, alex, 'setup channel board');
      expect(reply.text).toContain('"board" is not a channel kind: use committee');
    });
  });
});

describe('Bootstrap admins (ADMIN_USER_IDS)', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ env: { ADMIN_USER_IDS: priya.aadObjectId } });
  });
  afterAll(() => bot.close());

  it('makes the person an admin of every partnership', async () => {
    const board = groupChat('19:bootstrap-board@thread.v2');
    await bot.say(board, alex, 'setup partnership "Bootstrap ICT" councils=CEC:50,CWAC:50');

    const linked = await bot.say(
      personalChat(priya, { id: 'a:1personal-bootstrap-priya' }),
      priya,
      'setup link "Bootstrap ICT"',
    );
    expect(linked.text).toContain('Linked to Bootstrap ICT');

    const show = await bot.say(board, priya, 'setup show');
    expect(show.text).toContain('Your roles\nadmin');

    const grant = await bot.say(board, priya, mentions`role grant ${sam} editor`);
    expect(grant.text).toContain('Sam Jones is now editor');
  });

  it('does not make anyone else an admin', async () => {
    const board = groupChat('19:bootstrap-other@thread.v2');
    await bot.say(board, alex, 'setup partnership "Bootstrap Other ICT" councils=CEC:50,CWAC:50');
    const reply = await bot.say(
      personalChat(jo, { id: 'a:1personal-bootstrap-jo' }),
      jo,
      'setup link "Bootstrap Other ICT"',
    );
    expect(reply.text).toContain('You need the admin role');
  });
});
