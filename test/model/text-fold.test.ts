import { describe, expect, it } from 'vitest';
import { foldText } from '../../src/model/text-fold.js';

describe('foldText', () => {
  it('folds capitals of any script to the form their lower case folds to', () => {
    const same: [string, string][] = [
      ['NU-REFINE 2.8 Å', 'nu-refine 2.8 å'],
      ['2.8 \u212B', '2.8 å'], // ANGSTROM SIGN
      ['2.8 A\u030A', '2.8 å'], // A + COMBINING RING ABOVE
      ['ÉCHANTILLON', 'échantillon'],
      ['STRASSE', 'Straße'],
      ['STRAẞE', 'strasse'],
      ['ΣΊΣΥΦΟΣ', 'σίσυφος'],
      ['ΟΣ', 'ος'],
      ['İSTANBUL', 'istanbul'],
      ['ﬁlter', 'FILTER'],
      ['ＦＵＬＬ', 'full'],
      ['МОСКВА', 'москва'],
    ];
    for (const [a, b] of same) expect(foldText(a), `${a} ~ ${b}`).toBe(foldText(b));
    expect(foldText('NU-refine 2.8 Å')).toContain(foldText('2.8 Å'));
    // Final sigma folds like any sigma, so a word's end matches inside a longer one.
    expect(foldText('ΟΣΟ')).toContain(foldText('ΟΣ'));
    expect(foldText('Straße')).not.toBe(foldText('Strase'));
  });

  it('is idempotent and ignores case for every code point', () => {
    const failures: string[] = [];
    for (let cp = 0; cp <= 0x10ffff && failures.length < 10; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      // Letters without case or compatibility forms fold to themselves.
      if (c.toUpperCase() === c && c.toLowerCase() === c && c.normalize('NFKC') === c) {
        if (foldText(c) !== c) failures.push(`U+${cp.toString(16)}: changed`);
        continue;
      }
      const folded = foldText(c);
      if (foldText(folded) !== folded) failures.push(`U+${cp.toString(16)}: not idempotent`);
      if (foldText(c.toUpperCase()) !== folded || foldText(c.toLowerCase()) !== folded) failures.push(`U+${cp.toString(16)}: case matters`);
    }
    expect(failures).toEqual([]);
  });
});
