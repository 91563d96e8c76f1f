/**
 * Issue point 9 through the bot: a person whose id holds the key separator and another
 * person's id is granted a role; the other person gets nothing from it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnershipIdFor } from '../../src/domain/partnership.js';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { alex, groupChat, mentions, tenantId, type Person } from '../support/teams.js';

const zed: Person = { id: '29:1zed', aadObjectId: 'e5d1a7f6-0009-4eaf-9051-55ee66ff7709', name: 'Zed Field' };
const forger: Person = {
  id: '29:1zed|admin|*',
  aadObjectId: 'e5d1a7f6-0010-4eaf-9051-55ee66ff7710',
  name: 'Zed Forger',
};

describe('A role granted to an id that holds the key separator', () => {
  let bot: TestBot;
  const where = groupChat('19:role-keys@thread.v2');
  beforeAll(async () => {
    bot = await startTestBot();
    await bot.say(where, alex, 'setup partnership "Role Keys ICT" councils=CEC:50,CWAC:50');
  });
  afterAll(() => bot.close());

  it('is that id alone: the person whose id it starts with gets no role from it', async () => {
    expect((await bot.say(where, alex, mentions`role grant ${forger} editor`)).text).toContain(
      'Zed Forger is now editor',
    );
    const id = partnershipIdFor('Role Keys ICT', tenantId);
    expect(await bot.app.services.roles.rolesOf(id, zed.id)).toEqual([]);
    expect((await bot.app.services.roles.rolesOf(id, forger.id)).map((g) => g.role)).toEqual(['editor']);

    const refused = await bot.say(where, zed, 'kpi add "First time fix" target=80 unit=% polarity=higher code=FTF');
    expect(refused.text).toContain('You need the editor role');
    const added = await bot.say(where, forger, 'kpi add "First time fix" target=80 unit=% polarity=higher code=FTF');
    expect(added.text).toContain('KPI added: First time fix (FTF)');
  });

  it('is not taken away by revoking the role of the person whose id it starts with', async () => {
    await bot.say(where, alex, mentions`role grant ${zed} editor`);
    const id = partnershipIdFor('Role Keys ICT', tenantId);
    expect((await bot.say(where, alex, mentions`role revoke ${zed} editor`)).text).toContain(
      'Zed Field is no longer editor',
    );
    expect((await bot.app.services.roles.rolesOf(id, forger.id)).map((g) => g.role)).toEqual(['editor']);
    expect(await bot.app.services.roles.rolesOf(id, zed.id)).toEqual([]);
  });
});
