/**
 * A small confusable skeleton for labels, after Unicode TR39's "skeleton" (much reduced):
 * https://www.unicode.org/reports/tr39/#Confusable_Detection
 *
 * Two labels with the same skeleton look alike to a marketer picking a checkbox in HubSpot, even when
 * their code points differ: "Tripleseat Sync - Venue А" with a Cyrillic А (U+0410) reads exactly like
 * the Latin "Venue A", yet `normalizeLabel` keeps them apart (they are different HubSpot properties).
 * Config validation refuses two venue checkboxes with the same skeleton.
 *
 * Steps, in order:
 * 1. NFKC (fullwidth letters, ligatures, superscripts and other compatibility forms become plain ones);
 * 2. drop format characters (zero-width space and joiners, soft hyphen: `\p{Cf}`), which render as nothing;
 * 3. map lookalikes to a Latin letter, capitals and small letters separately (Cyrillic В looks like B
 *    while в does not): the Cyrillic and Greek letters that render like Latin ones in HubSpot's sans-serif
 *    UI font, plus two ambiguities TR39 also folds (digit 1 and small L; digit 0 and the letter O);
 * 4. casefold (lower case), then `normalizeLabel` (dashes, punctuation and spacing, as everywhere else).
 *
 * Capital I and small L also look alike in sans-serif fonts, but folding them would make casefolding
 * wrong ("TRIPLESEAT" would no longer match "Tripleseat"), so this skeleton keeps them apart.
 *
 * It is deliberately not the full TR39 table (thousands of entries, mostly scripts no venue label uses);
 * the cost of a miss is a confusing pair of checkboxes, which `venue-sync doctor` and a person can still see.
 */
import { normalizeLabel } from '../schema/normalize';

/** Lookalike -> the Latin letter it is mistaken for (case-sensitive: applied before casefolding). */
const LOOKALIKES: Readonly<Record<string, string>> = {
  // Cyrillic capitals
  А: 'a',
  В: 'b',
  Е: 'e',
  К: 'k',
  М: 'm',
  Н: 'h',
  О: 'o',
  Р: 'p',
  С: 'c',
  Т: 't',
  Х: 'x',
  У: 'y',
  Ѕ: 's',
  І: 'i',
  Ј: 'j',
  Ү: 'y',
  Ԛ: 'q',
  Ԝ: 'w',
  Ӏ: 'i',
  // Cyrillic small letters
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ј: 'j',
  һ: 'h',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  ү: 'y',
  // Greek capitals
  Α: 'a',
  Β: 'b',
  Ε: 'e',
  Ζ: 'z',
  Η: 'h',
  Ι: 'i',
  Κ: 'k',
  Μ: 'm',
  Ν: 'n',
  Ο: 'o',
  Ρ: 'p',
  Τ: 't',
  Υ: 'y',
  Χ: 'x',
  // Greek small letters
  ο: 'o',
  ν: 'v',
  ι: 'i',
  ρ: 'p',
  α: 'a',
  κ: 'k',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  // Latin ambiguities (TR39 folds these too)
  '1': 'l',
  '0': 'o',
};

const FORMAT_CHARACTERS = /\p{Cf}/gu;

/** The label's confusable skeleton; equal skeletons mean the labels look alike. Pure. */
export function confusableSkeleton(label: string): string {
  const mapped = Array.from(label.normalize('NFKC').replace(FORMAT_CHARACTERS, ''), (char) => {
    return LOOKALIKES[char] ?? char;
  }).join('');
  return normalizeLabel(mapped.toLowerCase());
}
