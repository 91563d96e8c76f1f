/** Red / Amber / Green, as every family reports it, and "No data" where nothing was reported. */
export const RAGS = ['Red', 'Amber', 'Green'] as const;
export type Rag = (typeof RAGS)[number];
export type RagStatus = Rag | 'No data';

/** Direction of travel in terms of what is better for the item (a higher risk score is worse). */
export type Trend = 'better' | 'worse' | 'same';

const ORDER: Record<RagStatus, number> = { Red: 0, Amber: 1, Green: 2, 'No data': 3 };

/** Sort position for lists: Red first, then Amber, then Green, then items with no data. */
export function ragOrder(status: RagStatus): number {
  return ORDER[status];
}

export type RagCounts = Record<RagStatus, number> & { total: number };

export function countRag(statuses: Iterable<RagStatus>): RagCounts {
  const counts: RagCounts = { Green: 0, Amber: 0, Red: 0, 'No data': 0, total: 0 };
  for (const status of statuses) {
    counts[status] += 1;
    counts.total += 1;
  }
  return counts;
}
