import { describe, expect, it } from 'vitest';
import { isWellFormedBase64 } from '../../contract/images/base64.ts';
import { isBase64 } from './collect-images.ts';

describe('isBase64', () => {
  it('answers exactly as the contract’s isWellFormedBase64', () => {
    const fixed = [
      '',
      'QQ==',
      'QUI=',
      'QUJD',
      'Q===',
      '=QQQ',
      'QQ=Q',
      'QQ= ',
      'QQ\n=',
      'QUJDRA==',
      'QU-_',
      'QUJ',
      'é123',
    ];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = 'AB+/=-\n é';
    const random = Array.from({ length: 5000 }, () =>
      Array.from({ length: rand(10) }, () => alphabet[rand(alphabet.length)]).join(''),
    );
    for (const s of [...fixed, ...random]) expect(isBase64(s), JSON.stringify(s)).toBe(isWellFormedBase64(s));
  });
});
