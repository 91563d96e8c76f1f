import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyOf, startTestBot, TEST_NOW, type TestBot } from '../support/bot-harness.js';
import { auditEntries } from '../support/cards.js';
import { meetAt } from '../support/concurrency.js';
import {
  alex,
  groupChat,
  jo,
  mentions,
  personalChat,
  postActivity,
  priya,
  sam,
  type Person,
  type TeamsText,
  type Where,
} from '../support/teams.js';

describe('Roles', () => {
  let bot: TestBot;
  /** A clock that moves on a second at every reading, so the audit has an order. */
  let tick = 0;
  beforeAll(async () => {
    bot = await startTestBot({ now: () => new Date(TEST_NOW.getTime() + 1000 * tick++) });
  });
  afterAll(() => bot.close());

  async function partnership(id: string, name: string): Promise<Where> {
    const where = groupChat(`19:roles-${id}@thread.v2`);
    const reply = await bot.say(where, alex, `setup partnership "${name}" councils=CEC:50,CWAC:50`);
    expect(reply.text).toContain(`${name} is set up`);
    return where;
  }

  /** Posts the messages at once and returns the bot's answers as text, in any order. */
  async function atOnce(...messages: Array<[Where, Person, string | TeamsText]>): Promise<string[]> {
    const before = bot.stub.sent.length;
    const results = await Promise.all(
      messages.map(([where, who, text]) => postActivity(bot.url, bot.teams.message(where, who, text))),
    );
    expect(results.map((r) => r.status)).toEqual(messages.map(() => 200));
    return (await bot.stub.waitForSent(before + messages.length)).slice(before).map((a) => replyOf(a).text);
  }

  describe('role grant', () => {
    it('lets the admin make someone an editor, who can then add a KPI', async () => {
      const where = await partnership('editor', 'Roles Editor ICT');
      const grant = await bot.say(where, alex, mentions`role grant ${sam} editor`);
      expect(grant.text).toContain('Sam Jones is now editor');

      const added = await bot.say(where, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher code=FTF');
      expect(added.text).toContain('KPI added: First time fix (FTF)');
    });

    it('refuses a viewer who tries to add a KPI, says which role is needed and who the admins are, and changes nothing', async () => {
      const where = await partnership('viewer', 'Roles Viewer ICT');
      const refused = await bot.say(where, jo, 'kpi add "Major incidents" target=2 unit=count polarity=lower code=MI');
      expect(refused.text).toContain('You need the editor role');
      expect(refused.text).toContain('editor (records KPIs, risks and budget figures)');
      expect(refused.text).toContain('Alex Morgan');
      expect(refused.text).toContain('role grant @you editor');
      expect(refused.text).toContain('Nothing was changed');

      const list = await bot.say(where, jo, 'kpi');
      expect(list.text).not.toContain('Major incidents');
    });

    it('refuses a viewer who tries to grant a role', async () => {
      const where = await partnership('viewer-grant', 'Roles Viewer Grant ICT');
      const refused = await bot.say(where, jo, mentions`role grant ${jo} admin`);
      expect(refused.text).toContain('You need the admin role');
      expect(refused.text).toContain('Alex Morgan');
      expect((await bot.say(where, alex, 'role list')).text).not.toContain('Jo Williams');
    });

    it('makes someone an approver for one council', async () => {
      const where = await partnership('approver', 'Roles Approver ICT');
      const grant = await bot.say(where, alex, mentions`role grant ${sam} approver council=CEC`);
      expect(grant.text).toContain('Sam Jones is now approver for CEC');
      expect(grant.text).toContain('approver (decides gateway items and business cases)');
      const list = await bot.say(where, alex, 'role list');
      expect(list.text).toContain('Sam Jones\napprover\nCEC');
    });

    it('keeps both grants when someone is made approver for CEC and then for CWAC', async () => {
      const where = await partnership('approver-two', 'Roles Approver Two ICT');
      expect((await bot.say(where, alex, mentions`role grant ${priya} approver council=CEC`)).text).toContain(
        'Priya Shah is now approver for CEC',
      );
      expect((await bot.say(where, alex, mentions`role grant ${priya} approver council=CWAC`)).text).toContain(
        'Priya Shah is now approver for CWAC',
      );
      const list = await bot.say(where, alex, 'role list');
      expect(list.text).toContain('Priya Shah\napprover\nCEC');
      expect(list.text).toContain('Priya Shah\napprover\nCWAC');
      const show = await bot.say(where, priya, 'setup show');
      expect(show.text).toMatch(/Your roles\napprover for (CEC, approver for CWAC|CWAC, approver for CEC)/);
    });

    it('refuses to make someone admin for one council: an admin looks after the whole partnership', async () => {
      const where = await partnership('admin-council', 'Roles Admin Council ICT');
      const reply = await bot.say(where, alex, mentions`role grant ${sam} admin council=CEC`);
      expect(reply.text).toContain('An admin looks after the whole partnership: grant admin without council=.');
      expect(reply.text).toContain('Nothing was changed');
      expect((await bot.say(where, alex, 'role list')).text).not.toContain('Sam Jones');
      expect((await bot.say(where, sam, mentions`role grant ${jo} editor`)).text).toContain('You need the admin role');
    });

    it('accepts a council code in lower case', async () => {
      const where = await partnership('approver-lower', 'Roles Approver Lower ICT');
      const grant = await bot.say(where, alex, mentions`role grant ${priya} approver council=cwac`);
      expect(grant.text).toContain('Priya Shah is now approver for CWAC');
    });

    it('refuses a council that is not in the partnership and lists the ones that are', async () => {
      const where = await partnership('unknown-council', 'Roles Unknown Council ICT');
      const reply = await bot.say(where, alex, mentions`role grant ${sam} approver council=XYZ`);
      expect(reply.text).toContain('council=XYZ is not a council of Roles Unknown Council ICT: use CEC, CWAC');
      expect(reply.text).toContain('Nothing was changed');
      expect((await bot.say(where, alex, 'role list')).text).not.toContain('Sam Jones');
    });

    it('explains that everyone is a viewer already', async () => {
      const where = await partnership('grant-viewer', 'Roles Grant Viewer ICT');
      const reply = await bot.say(where, alex, mentions`role grant ${sam} viewer`);
      expect(reply.text).toContain('everyone in a linked conversation is a viewer already');
      expect(reply.text).toContain('admin, approver or editor');
    });

    it('says a word that is not a role is not a role', async () => {
      const where = await partnership('grant-nonsense', 'Roles Grant Nonsense ICT');
      const reply = await bot.say(where, alex, mentions`role grant ${sam} boss`);
      expect(reply.text).toContain('"boss" is not a role: use admin, approver or editor');
    });

    it('asks for the person to be picked from the list when "@Sam" is only typed', async () => {
      const where = await partnership('typed-at', 'Roles Typed At ICT');
      const reply = await bot.say(where, alex, 'role grant @Sam editor');
      expect(reply.text).toContain('"@Sam" is not a mention');
      expect(reply.text).toContain('type @ and pick the person from the list');
      expect((await bot.say(where, alex, 'role list')).text).not.toContain('Sam');
    });

    it('changes nothing when the role is granted again', async () => {
      const where = await partnership('twice', 'Roles Twice ICT');
      await bot.say(where, alex, mentions`role grant ${sam} editor`);
      const again = await bot.say(where, alex, mentions`role grant ${sam} editor`);
      expect(again.text).toContain('Sam Jones is editor already');
      expect(again.text).toContain('Nothing was changed');
    });
  });

  describe('role revoke', () => {
    it('takes a role away, after which the person is refused', async () => {
      const where = await partnership('revoke', 'Roles Revoke ICT');
      await bot.say(where, alex, mentions`role grant ${sam} editor`);
      const revoked = await bot.say(where, alex, mentions`role revoke ${sam} editor`);
      expect(revoked.text).toContain('Sam Jones is no longer editor');

      const refused = await bot.say(where, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
      expect(refused.text).toContain('You need the editor role');
      expect((await bot.say(where, alex, 'role list')).text).not.toContain('Sam Jones');
    });

    it('takes away the role for one council only when council= is given', async () => {
      const where = await partnership('revoke-council', 'Roles Revoke Council ICT');
      await bot.say(where, alex, mentions`role grant ${priya} approver council=CEC`);
      await bot.say(where, alex, mentions`role grant ${priya} approver council=CWAC`);

      const reply = await bot.say(where, alex, mentions`role revoke ${priya} approver council=CEC`);
      expect(reply.text).toContain('Priya Shah is no longer approver for CEC');
      const list = await bot.say(where, alex, 'role list');
      expect(list.text).not.toContain('Priya Shah\napprover\nCEC');
      expect(list.text).toContain('Priya Shah\napprover\nCWAC');

      const again = await bot.say(where, alex, mentions`role revoke ${priya} approver council=CEC`);
      expect(again.text).toContain('Priya Shah is not approver for CEC');
      expect(again.text).toContain('Nothing was changed');
    });

    it('takes away the role for every council when no council is given', async () => {
      const where = await partnership('revoke-all-councils', 'Roles Revoke All Councils ICT');
      await bot.say(where, alex, mentions`role grant ${priya} approver council=CEC`);
      await bot.say(where, alex, mentions`role grant ${priya} approver council=CWAC`);
      await bot.say(where, alex, mentions`role grant ${priya} editor`);

      const reply = await bot.say(where, alex, mentions`role revoke ${priya} approver`);
      expect(reply.text).toContain('Priya Shah is no longer approver');
      const list = await bot.say(where, alex, 'role list');
      expect(list.text).not.toContain('approver');
      expect(list.text).toContain('Priya Shah\neditor\nall');
    });

    it('says so when the person does not hold the role', async () => {
      const where = await partnership('revoke-none', 'Roles Revoke None ICT');
      const reply = await bot.say(where, alex, mentions`role revoke ${jo} approver`);
      expect(reply.text).toContain('Jo Williams is not approver');
      expect(reply.text).toContain('Nothing was changed');
    });

    it('refuses to revoke the only admin', async () => {
      const where = await partnership('only-admin', 'Roles Only Admin ICT');
      const reply = await bot.say(where, alex, mentions`role revoke ${alex} admin`);
      expect(reply.text).toContain('Alex Morgan is the only admin of Roles Only Admin ICT');
      expect(reply.text).toContain('grant admin to someone else first');
      expect((await bot.say(where, alex, 'role list')).text).toContain('Alex Morgan\nadmin');
      // A change that was refused leaves no trace in the audit.
      expect((await bot.say(where, alex, 'audit')).text).not.toContain('role revoke');
    });

    it('leaves at least one admin when two admins revoke each other at the same moment', async () => {
      const where = await partnership('mutual-revoke', 'Roles Mutual Revoke ICT');
      expect((await bot.say(where, alex, mentions`role grant ${priya} admin`)).text).toContain(
        'Priya Shah is now admin',
      );

      // Both pass the admin check before either writes, so they meet at the store.
      const meeting = meetAt(bot.app.services.roles, 'revoke', 2);
      let answers: string[];
      try {
        answers = await atOnce(
          [where, alex, mentions`role revoke ${priya} admin`],
          [where, priya, mentions`role revoke ${alex} admin`],
        );
      } finally {
        meeting.restore();
      }
      expect(
        answers.filter((a) => a.includes('is no longer admin')),
        answers.join('\n---\n'),
      ).toHaveLength(1);
      const refused = answers.find((a) => !a.includes('is no longer admin')) ?? '';
      expect(refused).toContain('Nothing was changed');

      const list = await bot.say(where, jo, 'role list');
      const admins = ['Alex Morgan', 'Priya Shah'].filter((name) => list.text.includes(`${name}\nadmin`));
      expect(admins, list.text).toHaveLength(1);
      // The admin left can still act as one.
      const survivor = admins[0] === 'Alex Morgan' ? alex : priya;
      expect((await bot.say(where, survivor, mentions`role grant ${sam} editor`)).text).toContain(
        'Sam Jones is now editor',
      );
      // One revoke happened, and only it is in the audit.
      const audit = await bot.say(where, survivor, 'audit');
      expect(audit.text.split('\n').filter((line) => line.startsWith('role revoke '))).toHaveLength(1);
    });

    it('lets an admin step down once there is another admin', async () => {
      const where = await partnership('hand-over', 'Roles Hand Over ICT');
      await bot.say(where, alex, mentions`role grant ${priya} admin`);
      const reply = await bot.say(where, alex, mentions`role revoke ${alex} admin`);
      expect(reply.text).toContain('Alex Morgan is no longer admin');
      const refused = await bot.say(where, alex, mentions`role grant ${sam} editor`);
      expect(refused.text).toContain('You need the admin role');
      expect(refused.text).toContain('Priya Shah');
    });
  });

  describe('role list', () => {
    it('shows every grant with its council', async () => {
      const where = await partnership('list', 'Roles List ICT');
      await bot.say(where, alex, mentions`role grant ${sam} editor`);
      await bot.say(where, alex, mentions`role grant ${priya} approver council=CWAC`);
      const list = await bot.say(where, jo, 'role list');
      expect(list.text).toContain('Roles in Roles List ICT');
      expect(list.text).toContain('Alex Morgan\nadmin\nall');
      expect(list.text).toContain('Priya Shah\napprover\nCWAC');
      expect(list.text).toContain('Sam Jones\neditor\nall');
      expect(list.text.indexOf('admin')).toBeLessThan(list.text.indexOf('approver'));
      expect(list.text.indexOf('approver')).toBeLessThan(list.text.indexOf('editor'));
    });
  });

  describe('audit', () => {
    it('shows every change with who made it, the command, and before and after', async () => {
      const where = await partnership('audit', 'Roles Audit ICT');
      await bot.say(where, alex, mentions`role grant ${sam} editor`);
      await bot.say(where, alex, mentions`role grant ${priya} approver council=CEC`);
      await bot.say(where, alex, mentions`role grant ${priya} approver council=CWAC`);
      await bot.say(where, alex, mentions`role revoke ${sam} editor`);

      const audit = await bot.say(where, alex, 'audit');
      const text = audit.text;
      expect(text).toContain('Latest changes in Roles Audit ICT');
      const entries = auditEntries(audit);
      const find = (command: string, change: string) =>
        entries.find((e) => e.command === command && e.change === change);
      expect(find('role grant @Sam Jones editor', 'role editor for Sam Jones added')).toMatchObject({
        who: 'Alex Morgan',
        fields: { person: 'Sam Jones', role: 'editor', council: 'all councils' },
      });
      expect(find('role revoke @Sam Jones editor', 'role editor for Sam Jones removed')?.fields).toEqual({
        person: 'Sam Jones',
        role: 'editor',
        council: 'all councils',
      });
      expect(
        find('role grant @Priya Shah approver council=CEC', 'role approver for Priya Shah added')?.fields.council,
      ).toBe('CEC');
      expect(
        find('role grant @Priya Shah approver council=CWAC', 'role approver for Priya Shah added')?.fields.council,
      ).toBe('CWAC');
      expect(entries.find((e) => e.change === 'partnership Roles Audit ICT added')?.fields.councils).toBe(
        'CEC 50%, CWAC 50%',
      );

      // Newest first.
      expect(text.indexOf('role revoke @Sam Jones editor')).toBeLessThan(text.indexOf('role grant @Sam Jones editor'));
      expect(text.indexOf('role grant @Sam Jones editor')).toBeLessThan(text.indexOf('setup partnership'));
    });

    it('shows the latest 20 changes, newest first', async () => {
      const where = await partnership('audit-twenty', 'Roles Audit Twenty ICT');
      for (let i = 1; i <= 11; i++) {
        await bot.say(where, alex, mentions`role grant ${sam} editor`);
        await bot.say(where, alex, mentions`role revoke ${sam} editor`);
      }
      const audit = await bot.say(where, alex, 'audit');
      const commands = audit.text.split('\n').filter((line) => /^role (grant|revoke) /.test(line));
      expect(commands).toHaveLength(20);
      expect(commands[0]).toBe('role revoke @Sam Jones editor');
      expect(commands[1]).toBe('role grant @Sam Jones editor');
      expect(audit.text).not.toContain('setup partnership');
    });

    it('records a change made from a personal chat linked to the partnership', async () => {
      const where = await partnership('audit-personal', 'Roles Audit Personal ICT');
      const mine = personalChat(alex, { id: 'a:1personal-roles-audit' });
      await bot.say(mine, alex, 'setup link "Roles Audit Personal ICT"');
      const audit = await bot.say(where, alex, 'audit');
      expect(audit.text).toContain('setup link "Roles Audit Personal ICT"');
      expect(audit.text).toContain('personal chat with Alex Morgan');
    });

    it('refuses the audit to a viewer', async () => {
      const where = await partnership('audit-viewer', 'Roles Audit Viewer ICT');
      const reply = await bot.say(where, jo, 'audit');
      expect(reply.text).toContain('You need the admin role');
      expect(reply.text).toContain('Alex Morgan');
      expect(reply.text).not.toContain('Latest changes');
    });
  });
});
