import { displayTitle, elideFrench, formatDay } from '../language';

describe('French elision', () => {
  it('elides de and que before a vowel or a mute h', () => {
    expect(elideFrench('Exporter le journal de Inès')).toBe(
      'Exporter le journal d’Inès'
    );
    expect(elideFrench('Ouvrir le passeport de Hélène')).toBe(
      'Ouvrir le passeport d’Hélène'
    );
    expect(elideFrench('autant que Inès')).toBe('autant qu’Inès');
    expect(elideFrench('autant que Yanis')).toBe('autant que Yanis');
  });

  it('leaves names that start with a consonant alone', () => {
    expect(elideFrench('Exporter le journal de Camille')).toBe(
      'Exporter le journal de Camille'
    );
    expect(elideFrench('Documents de Lea')).toBe('Documents de Lea');
  });
});

describe('dates', () => {
  it('writes a day out in the reader’s language', () => {
    expect(formatDay('2026-10-05', 'fr_FR')).toBe('5 octobre 2026');
    expect(formatDay('2026-10-01', 'fr_FR')).toBe('1er octobre 2026');
    expect(formatDay('2026-10-05', 'en')).toBe('October 5, 2026');
  });

  it('titles a dated journal document without its file extension', () => {
    expect(
      displayTitle(
        '2026-10-05 Entrée du journal d’apprentissage.ipynb',
        'fr_FR'
      )
    ).toBe('5 octobre 2026 Entrée du journal d’apprentissage');
    expect(displayTitle('Diagnostic partagé.ipynb', 'fr_FR')).toBe(
      'Diagnostic partagé'
    );
  });
});
