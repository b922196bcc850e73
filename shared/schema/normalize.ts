/**
 * Label normalization: people type "Tripleseat Sync – Venue A", "tripleseat sync-venue a" and
 * "Tripleseat  Sync - Venue A" for the same HubSpot property. Everything that compares labels
 * goes through this one function so config validation and runtime resolution agree.
 */
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D_-]/g;
const PUNCTUATION = /[^\p{L}\p{N}\s]/gu;

export function normalizeLabel(label: string): string {
  return label
    .normalize('NFKC')
    .toLowerCase()
    .replace(DASHES, ' ')
    .replace(PUNCTUATION, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The internal name `venue-sync setup` gives a property it creates from a label:
 * "Tripleseat Sync - Venue A" -> `tripleseat_sync_venue_a`. Resolution accepts it as an exact match,
 * so a property found under this name is the one setup made, whatever its label says today.
 */
export function snakeCaseLabel(label: string): string {
  return normalizeLabel(label).replace(/ /g, '_');
}
