import { describe, expect, it } from 'vitest';
import { confusableSkeleton } from '../../shared/config/confusable';

describe('Function: confusableSkeleton', () => {
  it.each([
    ['a Cyrillic А (U+0410)', 'Tripleseat Sync - Venue \u0410', 'Tripleseat Sync - Venue A'],
    ['Cyrillic small letters', 'Tripl\u0435s\u0435at Sync - V\u0435nu\u0435 B', 'Tripleseat Sync - Venue B'],
    ['a Greek capital Omicron', 'Tripleseat Sync - B\u039Fat', 'Tripleseat Sync - Boat'],
    ['fullwidth letters (NFKC)', 'Tripleseat Sync - Ｖｅｎｕｅ A', 'Tripleseat Sync - Venue A'],
    ['a zero-width space', 'Tripleseat Sync - Ven\u200Bue A', 'Tripleseat Sync - Venue A'],
    ['digit 1 and small L', 'Tripleseat Sync - Hall l', 'Tripleseat Sync - Hall 1'],
    ['a Cyrillic capital І', 'Tripleseat Sync - \u0406sland', 'Tripleseat Sync - Island'],
    ['case, dashes and spacing', 'TRIPLESEAT  SYNC – venue a', 'Tripleseat Sync - Venue A'],
  ])('gives %s the skeleton of its Latin lookalike', (_case, lookalike, latin) => {
    expect(confusableSkeleton(lookalike)).toBe(confusableSkeleton(latin));
  });

  it('keeps visibly different labels apart', () => {
    expect(confusableSkeleton('Tripleseat Sync - Venue A')).not.toBe(
      confusableSkeleton('Tripleseat Sync - Venue B'),
    );
    expect(confusableSkeleton('Tripleseat Sync - Marina')).not.toBe(
      confusableSkeleton('Tripleseat Sync - Mariana'),
    );
  });

  it('is Latin, lower case and normalized', () => {
    expect(confusableSkeleton('Tripleseat Sync - Venue \u0410')).toBe('tripleseat sync venue a');
  });

  it('is empty for a label without letters or digits', () => {
    expect(confusableSkeleton('🎉🎉')).toBe('');
  });
});
