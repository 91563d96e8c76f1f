import { z } from 'zod';
import { hasFormatCharacters } from '../domain/text.js';

/**
 * The fields of an incoming activity that the bot reads, checked at the edge with length caps, so
 * a malformed activity is a 400 and never reaches botbuilder, the router or storage. Other fields
 * pass through untouched (botbuilder reads some). Names are not capped here: an over-long name
 * gets a plain answer from the bot (governance-bot.ts) rather than a bare 400.
 */

/** A conversation id escaped into a storage key (at most three characters each) stays under the 1 KiB a key may hold. */
export const MAX_CONVERSATION_ID = 320;
export const MAX_ID = 256;
/** Display names longer than this are refused with an answer: Teams' own names are far shorter. */
export const MAX_NAME_CHARS = 256;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** An id: no control or invisible format characters (Teams ids have none), at most `max` characters. */
const id = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !CONTROL.test(s) && !hasFormatCharacters(s), 'holds control or invisible characters');

const shortText = (max: number) => z.string().max(max);

const account = z.looseObject({
  id: id(MAX_ID),
  name: z.string().optional(),
  aadObjectId: shortText(64).optional(),
  role: shortText(32).optional(),
});

/** Mentions and the other entities Teams adds (clientInfo); a mention names who it is of. */
const entity = z.looseObject({
  type: shortText(64),
  text: shortText(1024).optional(),
  mentioned: z.looseObject({ id: id(MAX_ID), name: z.string().optional() }).optional(),
});

const serviceUrl = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const url = new URL(s);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'is not an http(s) URL');

export const activitySchema = z.looseObject({
  type: id(64),
  id: id(MAX_ID).optional(),
  timestamp: shortText(64).optional(),
  localTimestamp: shortText(64).optional(),
  channelId: id(64),
  serviceUrl,
  from: account,
  recipient: account,
  conversation: z.looseObject({
    id: id(MAX_CONVERSATION_ID),
    conversationType: shortText(32).optional(),
    tenantId: id(64).optional(),
    name: shortText(1024).optional(),
    isGroup: z.boolean().optional(),
  }),
  channelData: z
    .looseObject({
      tenant: z.looseObject({ id: id(64).optional() }).optional(),
      team: z.looseObject({ id: id(MAX_CONVERSATION_ID).optional(), name: shortText(1024).optional() }).optional(),
      channel: z.looseObject({ id: id(MAX_CONVERSATION_ID).optional(), name: shortText(1024).optional() }).optional(),
      eventType: shortText(64).optional(),
    })
    .optional(),
  text: z.string().optional(),
  textFormat: shortText(32).optional(),
  locale: shortText(32).optional(),
  entities: z.array(entity).max(64).optional(),
  attachments: z
    .array(z.looseObject({ contentType: shortText(256).optional() }))
    .max(32)
    .optional(),
  name: shortText(256).optional(),
  action: shortText(64).optional(),
  replyToId: shortText(MAX_ID).optional(),
  membersAdded: z.array(account).max(1000).optional(),
  membersRemoved: z.array(account).max(1000).optional(),
  value: z.unknown().optional(),
});

export type InboundActivity = z.infer<typeof activitySchema>;

/** The activity, or the first problem found in it (for the log; the caller answers a plain 400). */
export function readActivity(body: unknown): { ok: true; activity: InboundActivity } | { ok: false; problem: string } {
  const parsed = activitySchema.safeParse(body);
  if (parsed.success) return { ok: true, activity: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: `${issue?.path.join('.') || 'activity'}: ${issue?.message ?? 'is not an activity'}` };
}
