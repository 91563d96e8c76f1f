import { foldAccents } from './names.js';

/** A partnership: the councils that share one ICT service, with their agreed cost shares. */

export type PartnershipId = string & { readonly __brand: 'PartnershipId' };

export interface Council {
  readonly code: string;
  /** Cost share in hundredths of a percent (50% = 5000), so shares add up exactly. */
  readonly shareBasisPoints: number;
}

export interface Partnership {
  readonly id: PartnershipId;
  readonly name: string;
  readonly tenantId: string;
  readonly councils: readonly Council[];
  readonly createdAt: string;
  readonly createdBy: string;
}

/** The council of items owned by every council of the partnership (typed as `shared`). */
export const SHARED = 'SHARED';

/** `shared` or the council's code, as cards show the owner of an item. */
export function councilLabel(council: string): string {
  return council === SHARED ? 'shared' : council;
}

export const MIN_COUNCILS = 2;
export const MAX_COUNCILS = 10;
const COUNCIL_CODE = /^[A-Z][A-Z0-9]{1,9}$/;

/**
 * The id is derived from the name within the tenant, so one name means one partnership in an
 * organisation (a create on a taken id fails) and two organisations never see each other's names.
 */
export function partnershipIdFor(name: string, tenantId: string): PartnershipId {
  const tenant =
    tenantId
      .replace(/[^a-z0-9]/gi, '')
      .slice(0, 32)
      .toLowerCase() || 'local';
  return `${nameSlug(name)}.${tenant}` as PartnershipId;
}

function nameSlug(name: string): string {
  return foldAccents(name)
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
}

export function isValidPartnershipName(name: string): boolean {
  return name.trim().length >= 3 && name.trim().length <= 80 && nameSlug(name).length >= 2;
}

export type CouncilsResult = { ok: true; councils: Council[] } | { ok: false; problem: string };

/** Parses `CEC:50,CWAC:50` (shares are whole or decimal percentages that must sum to 100). */
export function parseCouncilShares(text: string): CouncilsResult {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length < MIN_COUNCILS || parts.length > MAX_COUNCILS) {
    return {
      ok: false,
      problem: `a partnership has ${MIN_COUNCILS} to ${MAX_COUNCILS} councils; ${parts.length} given`,
    };
  }
  const councils: Council[] = [];
  for (const part of parts) {
    const match = /^([A-Za-z][A-Za-z0-9]*)\s*:\s*(\d{1,3}(?:\.\d{1,2})?)\s*%?$/.exec(part);
    if (!match) {
      return { ok: false, problem: `"${part}" is not a council and its share: write CODE:percent, e.g. CEC:50` };
    }
    const code = match[1]!.toUpperCase();
    if (!COUNCIL_CODE.test(code)) {
      return {
        ok: false,
        problem: `council code "${match[1]}" must be 2 to 10 letters or digits, starting with a letter`,
      };
    }
    if (code === SHARED) return { ok: false, problem: '"shared" is reserved for things owned by every council' };
    if (councils.some((c) => c.code === code)) return { ok: false, problem: `council ${code} is listed twice` };
    const shareBasisPoints = percentToBasisPoints(match[2]!);
    if (shareBasisPoints <= 0) return { ok: false, problem: `council ${code} needs a share above 0%` };
    councils.push({ code, shareBasisPoints });
  }
  const total = councils.reduce((sum, c) => sum + c.shareBasisPoints, 0);
  if (total !== 10000) {
    return { ok: false, problem: `the shares add up to ${formatShare(total)}, not 100%` };
  }
  return { ok: true, councils };
}

function percentToBasisPoints(text: string): number {
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export function formatShare(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const rest = basisPoints % 100;
  return rest === 0 ? `${whole}%` : `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}%`;
}

export function findCouncil(partnership: Pick<Partnership, 'councils'>, code: string): Council | undefined {
  return partnership.councils.find((c) => c.code === code.toUpperCase());
}
