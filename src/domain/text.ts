/**
 * Text as people see it. Names, codes and ids may carry characters that change how the text
 * around them shows without showing themselves (a right-to-left override turns "gpj.exe" into
 * "exe.jpg"), and text that looks like a link is made into one by Teams. These rules keep what is
 * shown what was meant.
 */

/**
 * Bidi controls (marks, embeddings, overrides, isolates), zero-width spaces and joiners, word
 * joiner and invisible operators, the soft hyphen, the BOM, interlinear annotations and tag
 * characters.
 */
const FORMAT = String.raw`\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}`;

/** Emoji that need a joiner or tags to show as one picture (👩‍💻, the flags of Wales and Scotland) keep them. */
const EMOJI_SEQUENCE = String.raw`\p{Extended_Pictographic}\ufe0f?(?:\u200d\p{Extended_Pictographic}\ufe0f?)+|\u{1f3f4}[\u{e0020}-\u{e007e}]+\u{e007f}`;

const FORMAT_OUTSIDE_EMOJI = new RegExp(`(${EMOJI_SEQUENCE})|[${FORMAT}]`, 'gu');
const ANY_FORMAT = new RegExp(`[${FORMAT}]`, 'u');

/** The text without invisible format characters, except inside emoji that need them. */
export function withoutFormatCharacters(text: string): string {
  return text.replace(FORMAT_OUTSIDE_EMOJI, (_whole, emoji: string | undefined) => emoji ?? '');
}

/** True when the text holds an invisible format character outside an emoji sequence. */
export function hasFormatCharacters(text: string): boolean {
  return ANY_FORMAT.test(text.replace(new RegExp(EMOJI_SEQUENCE, 'gu'), ''));
}

/** One dot leader (U+2024) looks like a full stop but no link finder reads it as one. */
const DOT_LEADER = '\u2024';
/** Division slash (U+2215) looks like a slash; `https:∕∕` is no scheme. */
const DIVISION_SLASH = '\u2215';

/** A host name as link finders see one: labels and dots ending in a top-level domain of letters. */
const HOST = /\b(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}\b/gu;

/**
 * Text that shows as typed but is never made a link: `[text](url)` loses the adjacency Markdown
 * needs (an invisible break), and a scheme or host name loses its real slashes and dots to
 * look-alikes. What is stored is never changed; this is for showing only.
 */
export function defuseLinks(text: string): string {
  return text
    .replace(/\]\(/g, ']\u200b(')
    .replace(/:\/\//g, `:${DIVISION_SLASH}${DIVISION_SLASH}`)
    .replace(HOST, (host) => host.replace(/\./g, DOT_LEADER));
}

/** Text as it is shown: without invisible format characters, and with its links defused. */
export function shownText(text: string): string {
  return defuseLinks(withoutFormatCharacters(text));
}

/** Text typed back from a card (copied from a hint or example): the look-alikes read as the dots and slashes they stand for. */
export function withLinksRestored(text: string): string {
  return text.replaceAll(DOT_LEADER, '.').replaceAll(DIVISION_SLASH, '/');
}
