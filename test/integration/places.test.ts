/**
 * Places by their real names: Teams activities carry ids, not names, so the bot asks Teams (team
 * details, channel list, member list) through the connector stub, keeps the names with the link,
 * renews them when Teams renames a team or channel, and says "this team" or "this channel" when
 * Teams does not answer, never an id. People are granted roles by email where nobody can be mentioned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLinksRestored } from '../../src/domain/text.js';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { auditEntries, fact, lines } from '../support/cards.js';
import {
  alex,
  channel,
  groupChat,
  personalChat,
  postActivity,
  sam,
  type Person,
  type TeamChannel,
} from '../support/teams.js';

/** A channel as real Teams messages describe it: ids only, no team or channel name. */
/** A card's text with its look-alike dots (no email on a card is made a link) read as the dots they stand for. */
const read = (answer: { text: string }) => withLinksRestored(answer.text);

function unnamed(team: string, channelName: string): { general: TeamChannel; board: TeamChannel } {
  const teamId = `19:${team}@thread.tacv2`;
  const ids = { teamId, teamName: '', aadGroupId: 'e5c1a7f6-0005-4eaf-9051-55ee66ff7700' };
  return {
    general: channel({ ...ids, channelId: teamId, channelName: '' }),
    board: channel({ ...ids, channelId: `19:${team}-${channelName}@thread.tacv2`, channelName: '' }),
  };
}

const member = (p: Person) => ({ ...p, userPrincipalName: p.email, tenantId: 'tenant' });

describe('places by their real names', () => {
  let bot: TestBot;
  const { general, board } = unnamed('names', 'board');
  const everything = async () => [
    (await bot.say(board, alex, 'setup show')).text,
    (await bot.say(board, alex, 'audit')).text,
  ];

  beforeAll(async () => {
    bot = await startTestBot();
    bot.stub.teams.set(general.teamId, {
      id: general.teamId,
      name: 'Shared ICT Service',
      channels: [{ id: general.teamId }, { id: board.channelId, name: 'Programme Board' }],
    });
    await postActivity(bot.url, bot.teams.installationUpdate(general, alex, 'add'));
  });
  afterAll(() => bot.close());

  it('links the team by the name Teams gives it, though the message carries none', async () => {
    const reply = await bot.say(board, alex, 'setup partnership "Names ICT" councils=CEC:50,CWAC:50');
    expect(reply.text).toContain('This team (team Shared ICT Service) is linked to it');
    const show = await bot.say(board, alex, 'setup show');
    expect(show.text).toContain('team Shared ICT Service');
    expect(fact(show, 'Here')).toBe('channel Programme Board of team Shared ICT Service');
  });

  it('marks the committee channel by its own name, not General', async () => {
    const reply = await bot.say(board, alex, 'setup channel committee');
    expect(lines(reply)[0]).toBe('Shared ICT Service › Programme Board is a committee channel');
    const show = await bot.say(general, alex, 'setup show');
    expect(show.text).toContain('Shared ICT Service › Programme Board');
    expect(fact(show, 'Here')).toBe('channel General of team Shared ICT Service');
  });

  it('keeps the names in the audit', async () => {
    const entries = auditEntries(await bot.say(board, alex, 'audit'));
    expect(entries.find((e) => e.change === 'partnership Names ICT added')?.fields.linked).toBe(
      'team Shared ICT Service',
    );
    expect(entries.map((e) => e.change)).toContain('committee channel Shared ICT Service › Programme Board added');
  });

  it('renews the names when Teams renames the team or the channel', async () => {
    const renamedTeam = bot.teams.conversationUpdate(general, { eventType: 'teamRenamed', from: alex });
    renamedTeam.channelData.team = { id: general.teamId, name: 'Shared ICT' };
    await postActivity(bot.url, renamedTeam);
    const renamedChannel = bot.teams.conversationUpdate(general, { eventType: 'channelRenamed', from: alex });
    renamedChannel.channelData.channel = { id: board.channelId, name: 'Joint Committee' };
    await postActivity(bot.url, renamedChannel);

    const show = await bot.say(general, alex, 'setup show');
    expect(show.text).toContain('team Shared ICT');
    expect(show.text).toContain('Shared ICT › Joint Committee');
    expect(show.text).not.toContain('Programme Board');
    const entries = auditEntries(await bot.say(board, alex, 'audit'));
    expect(entries.find((e) => e.change === 'team Shared ICT changed')?.fields).toEqual({
      name: 'Shared ICT Service → Shared ICT',
    });
    expect(entries.find((e) => e.change === 'channel Joint Committee changed')?.fields).toEqual({
      name: 'Programme Board → Joint Committee',
    });
  });

  it('never shows an id', async () => {
    for (const text of await everything()) expect(text).not.toMatch(/19:|@thread/);
  });
});

describe('places whose names Teams does not give', () => {
  let bot: TestBot;
  const { board } = unnamed('nameless', 'board');
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  it('says "this team" and "this channel", never an id, in replies, setup show, unlink and the audit', async () => {
    const texts = [
      (await bot.say(board, alex, 'setup partnership "Nameless ICT" councils=CEC:50,CWAC:50')).text,
      (await bot.say(board, alex, 'setup channel committee')).text,
      (await bot.say(board, alex, 'setup show')).text,
      (await bot.say(board, alex, 'audit')).text,
    ];
    expect(texts[0]).toContain('This team is linked to it');
    expect(lines({ text: texts[1]!, card: undefined })[0]).toBe('This is a committee channel');
    expect(texts[2]).toContain('this team');
    expect(texts[2]).toContain('this channel');
    const unlinked = await bot.say(board, alex, 'setup unlink');
    expect(unlinked.text).toContain('This team no longer sees the partnership');
    for (const text of [...texts, unlinked.text]) expect(text).not.toMatch(/19:|@thread/);
  });
});

describe('roles granted where set-up happens', () => {
  let bot: TestBot;
  const { board } = unnamed('roles-email', 'board');
  const mine = personalChat(alex);
  let setUp: string;
  beforeAll(async () => {
    bot = await startTestBot();
    bot.stub.members.set(board.teamId, [member(alex), member(sam)]);
    await postActivity(bot.url, bot.teams.installationUpdate(board, alex, 'add'));
    await postActivity(bot.url, bot.teams.installationUpdate(mine, alex, 'add'));
    setUp = read(await bot.say(mine, alex, 'setup partnership "Email Roles ICT" councils=CEC:50,CWAC:50'));
  });
  afterAll(() => bot.close());

  it('says in a personal chat how to grant roles there: by email, or by mention in a channel of the team', async () => {
    expect(setUp).toContain(
      'Next: grant roles by email here (role grant sam.patel@council.gov.uk editor), or in a channel of the team, mentioning the person (role grant @Sam editor).',
    );
    const help = await bot.say(personalChat(sam), sam, 'help role grant');
    expect(read(help)).toContain('role grant sam.patel@council.gov.uk editor');
  });

  it('asks for a mention or an email when a name is typed, and says where', async () => {
    const reply = await bot.say(mine, alex, 'role grant Sam Jones editor');
    expect(read(reply)).toContain(
      '"Sam Jones" is not a person I can find here: in a channel of the team, mention the person (@Governance Bot role grant @Sam editor), or give their email or sign-in name (role grant sam.patel@council.gov.uk editor)',
    );
    expect(reply.text).not.toContain('quotes');
  });

  it('says it cannot find an email among the members of the linked teams and chats, and changes nothing', async () => {
    const reply = await bot.say(mine, alex, 'role grant sam.jones@shared-ict.example editor');
    expect(read(reply)).toContain(
      'I could not find sam.jones@shared-ict.example among the members of this chat or of the teams and chats linked to Email Roles ICT',
    );
    expect((await bot.say(mine, alex, 'role list')).text).not.toContain('Sam Jones');
  });

  it("grants a role by email, found in a linked team's members, to the person who then uses it there", async () => {
    await bot.say(board, alex, 'setup link "Email Roles ICT"');
    const reply = await bot.say(mine, alex, 'role grant SAM.JONES@shared-ict.example editor council=CEC');
    expect(lines(reply)[0]).toBe('Sam Jones is now editor for CEC');
    const added = await bot.say(
      board,
      sam,
      'kpi add "CEC laptops" code=CECL target=40 unit=count polarity=higher council=CEC',
    );
    expect(lines(added)[0]).toBe('KPI added: CEC laptops (CECL)');
    const revoked = await bot.say(mine, alex, 'role revoke sam.jones@shared-ict.example editor');
    expect(lines(revoked)[0]).toBe('Sam Jones is no longer editor');
  });
});

describe('group chats and channels', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  it('are welcomed with "mention me", as Teams passes only mentions there', async () => {
    const chat = groupChat('19:mention-me@thread.v2');
    await postActivity(bot.url, bot.teams.botAdded(chat, alex));
    const [welcome] = await bot.stub.waitFor((sent) =>
      sent.some((a) => a.delivery.conversationId === chat.conversationId),
    );
    const text = JSON.stringify(welcome);
    expect(text).toContain('start each command with @Governance Bot, e.g. @Governance Bot kpi');
    expect(text).toContain('@Governance Bot setup partnership');
  });

  it('are told so in help, and a personal chat is welcomed with "type"', async () => {
    expect((await bot.say(personalChat(sam), sam, 'help')).text).toContain(
      'In a channel or a group chat, mention me first (@Governance Bot help)',
    );
    const chat = personalChat(sam);
    const before = bot.stub.sent.length;
    await postActivity(bot.url, bot.teams.installationUpdate(chat, sam, 'add'));
    const sent = await bot.stub.waitForSent(before + 1);
    expect(JSON.stringify(sent[before])).toContain('Type help any time.');
  });
});
