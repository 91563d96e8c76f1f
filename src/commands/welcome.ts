import { welcomeCard } from '../cards/core.js';
import { BOT_NAME } from './help.js';
import { cardReply, type ConversationInfo, type Reply } from './types.js';

/**
 * The greeting of a conversation the bot has just joined. In a group chat or a channel, Teams
 * passes the bot only the messages that mention it, so there every command is shown after the
 * mention; in a personal chat, as typed.
 */
export function welcomeReply(conversation: ConversationInfo, partnershipName: string | undefined): Reply {
  const mention = conversation.type !== 'personal';
  const prefix = mention ? `@${BOT_NAME} ` : '';
  const ask = mention ? `mention me and type` : 'type';
  const roles = mention
    ? `${prefix}role grant @person editor`
    : 'role grant sam.patel@council.gov.uk editor (by email here), or in a channel of the team: @Governance Bot role grant @person editor';
  const how = mention
    ? `Teams passes me only the messages that mention me here: start each command with @${BOT_NAME}, e.g. @${BOT_NAME} kpi. Type @${BOT_NAME} help any time.`
    : 'Type help any time. In a channel or a group chat, mention me first: @Governance Bot kpi.';
  const text = partnershipName
    ? `Governance Bot is here, linked to ${partnershipName}. ${mention ? `Mention me and type kpi (${prefix}kpi)` : 'Type kpi'} for the KPIs (risk, budget, approval list for the rest), or help for every command.`
    : `Governance Bot is here. ${mention ? `Mention me and type help (${prefix}help)` : 'Type help'} to see what I can do, or setup partnership to start.`;
  return cardReply(
    welcomeCard,
    { bound: partnershipName !== undefined, ...(partnershipName ? { partnershipName } : {}), prefix, ask, roles, how },
    text,
  );
}
