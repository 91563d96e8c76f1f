import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnershipIdFor } from '../../src/domain/partnership.js';
import { replyOf, startTestBot, type TestBot } from '../support/bot-harness.js';
import { alex, channel, groupChat, mention, personalChat, postActivity, sam, tenantId } from '../support/teams.js';

/** A grammar line as a person reads it: cards show placeholders in ‹look-alike› brackets, plain text in <angle> ones. */
function grammar(usage: string): RegExp {
  return new RegExp(
    usage
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/</g, '[<‹]')
      .replace(/>/g, '[>›]'),
  );
}

describe('The command router', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  describe('help', () => {
    it('lists every command by area', async () => {
      const reply = await bot.say(personalChat(alex), alex, 'help');
      const text = reply.text;
      expect(text).toContain('Getting started');
      expect(text).toContain('Performance');
      expect(text).toContain('Partnership and roles');
      expect(text.indexOf('Getting started')).toBeLessThan(text.indexOf('setup partnership'));
      expect(text.indexOf('Performance')).toBeLessThan(text.indexOf('kpi record'));
      expect(text.indexOf('Partnership and roles')).toBeLessThan(text.indexOf('role grant'));
      expect(text).toContain('audit');
      expect(text).toMatch(grammar('help <command>'));
    });

    it('shows the grammar of a command with examples', async () => {
      const reply = await bot.say(personalChat(alex), alex, 'help kpi');
      expect(reply.text).toMatch(grammar('kpi record <code> <value> [period=<period>] ["commentary"]'));
      expect(reply.text).toMatch(grammar('kpi add "<name>" target=<n>'));
      expect(reply.text).toContain('Examples');
      expect(reply.text).toContain('kpi red');
      expect(reply.text).not.toContain('role grant');
    });

    it('shows one sub-command with its examples', async () => {
      const reply = await bot.say(personalChat(alex), alex, 'help setup partnership');
      expect(reply.text).toMatch(grammar('setup partnership "<name>" councils=<CODE>:<share>,<CODE>:<share>'));
      expect(reply.text).toContain('councils=LBHF:37.5,RBKC:37.5,WCC:25');
      expect(reply.text).not.toContain('setup channel committee');
    });

    it('says there is no such command when asked for help on nonsense', async () => {
      const reply = await bot.say(personalChat(alex), alex, 'help nonsense');
      expect(reply.text).toContain('There is no command "nonsense"');
      expect(reply.text).toContain('help [command]');
    });

    it('answers help typed with a slash, in capitals, or after a mention in a channel', async () => {
      for (const [where, text] of [
        [personalChat(alex), '/help'],
        [personalChat(alex), 'HELP'],
        [personalChat(alex), '  Help  '],
        [
          channel({ teamId: '19:router-help-team@thread.tacv2', channelId: '19:router-help-channel@thread.tacv2' }),
          'help',
        ],
        [
          channel({ teamId: '19:router-help-team@thread.tacv2', channelId: '19:router-help-channel@thread.tacv2' }),
          '/help',
        ],
      ] as const) {
        const reply = await bot.say(where, alex, text);
        expect(reply.text, `for ${JSON.stringify(text)} in a ${where.kind}`).toContain('Partnership and roles');
        expect(reply.text).toContain('setup partnership');
      }
    });

    it('answers the mention alone with the list of commands', async () => {
      const where = channel({
        teamId: '19:router-help-team@thread.tacv2',
        channelId: '19:router-help-channel@thread.tacv2',
      });
      const reply = await bot.say(where, alex, '');
      expect(reply.text).toContain('Partnership and roles');
    });

    it('shows every command when the button on the did-you-mean card is clicked', async () => {
      const where = personalChat(alex);
      const suggestion = await bot.say(where, alex, 'kpis');
      expect(suggestion.text).toContain('Show all commands');
      const clicked = await bot.click(where, alex, 'help');
      expect(clicked.text).toContain('Getting started');
      expect(clicked.text).toContain('setup partnership');
    });

    it('says clearly when a button is not known', async () => {
      const reply = await bot.click(personalChat(alex), alex, 'launch-rockets');
      expect(reply.text).toContain('This button (launch-rockets) is from an older card');
      expect(reply.text).toContain('Type help');
    });
  });

  describe('unknown words', () => {
    it('suggests the closest sub-command of a known family', async () => {
      const reply = await bot.say(personalChat(alex), alex, 'setup lnik "Cheshire ICT Shared Service"');
      expect(reply.text).toContain('"lnik" is not a setup command. Did you mean setup link?');
      expect(reply.text).toContain('setup link');
    });

    it('suggests kpi for kpis', async () => {
      const reply = await bot.say(personalChat(alex), alex, 'kpis');
      expect(reply.text).toContain('I don\'t know "kpis"');
      expect(reply.text).toContain('Did you mean');
      expect(reply.text).toContain('kpi');
      expect(reply.text).toContain('Key performance indicators');
    });

    it('suggests setup for stup', async () => {
      const reply = await bot.say(personalChat(alex), alex, 'stup show');
      expect(reply.text).toContain('I don\'t know "stup"');
      expect(reply.text).toContain('setup');
    });

    it('still answers a word that is close to nothing', async () => {
      const reply = await bot.say(personalChat(alex), alex, 'xylophone');
      expect(reply.text).toContain('I don\'t know "xylophone"');
      expect(reply.text).toContain('Type help');
    });

    it("shows the family's commands when the second word is not one of them", async () => {
      const reply = await bot.say(personalChat(alex), alex, 'setup wibble');
      expect(reply.text).toContain('"wibble" is not a setup command');
      expect(reply.text).toMatch(grammar('setup link "<name>"'));
    });
  });

  describe("a newcomer's slips", () => {
    const where = groupChat('19:router-slips@thread.v2');
    beforeAll(async () => {
      await bot.say(where, alex, 'setup partnership "Slips ICT" councils=CEC:50,CWAC:50');
    });

    it('shows the grammar when help follows a command, rather than reading help as a filter or a name', async () => {
      for (const [typed, usage] of [
        ['risk help', 'risk add "<title>" likelihood=<1-5>'],
        ['budget help', 'budget add <code> "<name>" category=<category>'],
        ['approval help', 'approval request "<title>" type=<type>'],
        ['risk add help', 'risk add "<title>" likelihood=<1-5>'],
      ] as const) {
        const reply = await bot.say(where, alex, typed);
        expect(reply.text, typed).toMatch(grammar(usage));
        expect(reply.text, typed).not.toContain('I could not do that');
      }
    });

    it("suggests the sub-command a word nearly is, where the family's own command would read it as a filter", async () => {
      for (const [typed, said] of [
        ['risk ad "Data loss" likelihood=3 impact=2', '"ad" is not a risk command. Did you mean risk add?'],
        ['risk updte R-1 likelihood=2', '"updte" is not a risk command. Did you mean risk update?'],
        ['budget lnes', '"lnes" is not a budget command. Did you mean budget lines?'],
        ['approval lst', '"lst" is not an approval command. Did you mean approval list?'],
      ] as const) {
        const reply = await bot.say(where, alex, typed);
        expect(reply.text, typed).toContain(said);
        expect(reply.text, typed).not.toContain('is not a filter');
        expect(reply.text, typed).not.toContain('I did not expect');
      }
      expect((await bot.say(where, alex, 'risk list')).text).not.toContain('Data loss');
    });

    it('names an option typed without its = and shows it written right', async () => {
      for (const [typed, said] of [
        ['risk add "Data loss" likelihood 3 impact=2', '"likelihood 3" has no =: write likelihood=3'],
        ['risk update R-1 likelihood: 2', '"likelihood: 2" has no =: write likelihood=2'],
        ['risk appetite cyber 5', '"cyber 5" has no =: write cyber=5'],
        ['budget add LIC Licences category=contracts budget £200k', '"budget £200k" has no =: write budget=£200k'],
      ] as const) {
        const reply = await bot.say(where, alex, typed);
        expect(reply.text, typed).toContain(said);
        expect(reply.text, typed).not.toContain('I did not expect');
        expect(reply.text, typed).not.toContain('is missing');
        expect(reply.text, typed).toContain('Nothing was changed');
      }
      expect((await bot.say(where, alex, 'risk list')).text).not.toContain('Data loss');
      expect((await bot.say(where, alex, 'budget lines')).text).not.toContain('LIC');
    });

    it('still reads the words the commands take', async () => {
      expect((await bot.say(where, alex, 'risk add "Data breach" likelihood=3 impact=2')).text).toContain(
        'Risk added: R-1',
      );
      expect((await bot.say(where, alex, 'risk amber')).text).toContain('1 match Amber');
      expect((await bot.say(where, alex, 'risk update R-1 likelihood=2 "owner left the team"')).text).toContain(
        'R-1 updated',
      );
    });
  });

  describe('reading what Teams sends', () => {
    it('decodes HTML entities in a command', async () => {
      const where = groupChat('19:router-entities@thread.v2');
      const reply = await bot.say(
        where,
        alex,
        'setup partnership &quot;Halton &amp; Warrington ICT&quot; councils=HBC:50,WBC:50',
      );
      expect(reply.text).toContain('Halton & Warrington ICT is set up');
      const show = await bot.say(where, alex, 'setup show');
      expect(show.text).toContain('Halton & Warrington ICT');
      expect(show.text).not.toContain('&amp;');
      expect(show.text).not.toContain('&quot;');
    });

    it('reads a mention of the bot followed by a non-breaking space, as Teams sends it in a channel', async () => {
      const where = channel({
        teamId: '19:router-nbsp-team@thread.tacv2',
        channelId: '19:router-nbsp-channel@thread.tacv2',
      });
      const botMention = mention(bot.teams.bot);
      const before = bot.stub.sent.length;
      const activity = bot.teams.message(
        where,
        alex,
        { text: `${botMention.text}&nbsp;help&nbsp;kpi`, entities: [botMention.entity] },
        { mentionBot: false },
      );
      expect((await postActivity(bot.url, activity)).status).toBe(200);
      const sent = await bot.stub.waitForSent(before + 1);
      expect(replyOf(sent[before]!).text).toMatch(grammar('kpi record <code> <value>'));
    });

    it('strips the HTML that Teams wraps around a message', async () => {
      const where = groupChat('19:router-html@thread.v2');
      const reply = await bot.say(
        where,
        alex,
        '<p>setup partnership "Wrapped In Paragraph ICT" councils=CEC:50,CWAC:50</p>',
      );
      expect(reply.text).toContain('Wrapped In Paragraph ICT is set up');
    });

    it('reads names between curly quotes', async () => {
      const where = groupChat('19:router-curly@thread.v2');
      const reply = await bot.say(
        where,
        alex,
        'setup partnership “Curly Quote Shared Service” councils=CEC:50,CWAC:50',
      );
      expect(reply.text).toContain('Curly Quote Shared Service is set up');
      const show = await bot.say(where, alex, 'setup show');
      expect(show.text.split('\n')[0]).toBe('Curly Quote Shared Service');
      expect(show.text).not.toContain('“');
      expect(show.text).not.toContain('”');
    });

    it('reads key=value options with quoted values', async () => {
      const where = groupChat('19:router-key-value@thread.v2');
      const reply = await bot.say(where, alex, 'setup partnership name="Named Option ICT" councils="CEC:60, CWAC:40"');
      expect(reply.text).toContain('Named Option ICT is set up');
      expect(reply.text).toContain('60% share');
      expect(reply.text).toContain('40% share');
      const kpi = await bot.say(
        where,
        alex,
        'kpi add "First time fix" target=80 unit=% polarity=higher code=FTF description=“Fixed at the first contact”',
      );
      expect(kpi.text).toContain('KPI added: First time fix (FTF)');
      const detail = await bot.say(where, alex, 'kpi FTF');
      expect(detail.text).toContain('Fixed at the first contact');
      expect(detail.text).not.toContain('“');
    });

    it('answers an unclosed quote with the usage of that command', async () => {
      const where = groupChat('19:router-unclosed@thread.v2');
      const reply = await bot.say(where, alex, 'setup partnership "Unclosed Quote ICT councils=CEC:50,CWAC:50');
      expect(reply.text).toContain('A quote is not closed');
      expect(reply.text).toMatch(grammar('setup partnership "<name>" councils=<CODE>:<share>,<CODE>:<share>'));
      expect(await bot.app.services.partnerships.get(partnershipIdFor('Unclosed Quote ICT', tenantId))).toBeUndefined();
    });

    it('says an option is not known and lists the options there are', async () => {
      const where = groupChat('19:router-unknown-option@thread.v2');
      await bot.say(where, alex, 'setup partnership "Unknown Option ICT" councils=CEC:50,CWAC:50');
      const reply = await bot.say(where, alex, 'kpi add "Colourful KPI" colour=red target=80 unit=% polarity=higher');
      expect(reply.text).toContain('colour= is not an option here');
      for (const option of [
        'target=',
        'unit=',
        'polarity=',
        'code=',
        'tolerance=',
        'frequency=',
        'owner=',
        'council=',
        'description=',
      ]) {
        expect(reply.text).toContain(option);
      }
      expect(reply.text).toContain('Nothing was changed');
      expect((await bot.say(where, alex, 'kpi')).text).not.toContain('Colourful KPI');
    });

    it('says which option is given twice', async () => {
      const where = groupChat('19:router-unknown-option@thread.v2');
      const reply = await bot.say(where, alex, 'kpi add "Twice KPI" target=80 target=90 unit=% polarity=higher');
      expect(reply.text).toContain('target= is given twice');
    });
  });

  describe('before setup', () => {
    it('tells a chat that is not linked yet how to set it up', async () => {
      const where = groupChat('19:router-unbound@thread.v2');
      const reply = await bot.say(where, sam, 'kpi');
      expect(reply.text).toContain('This conversation is not set up yet');
      expect(reply.text).toContain('setup partnership');
      expect(reply.text).toContain('setup link');
      expect(reply.text).toContain('Nothing was changed');
    });

    it('still answers help in a chat that is not linked', async () => {
      const reply = await bot.say(groupChat('19:router-unbound@thread.v2'), sam, 'help kpi');
      expect(reply.text).toMatch(grammar('kpi record <code> <value>'));
    });
  });
});
