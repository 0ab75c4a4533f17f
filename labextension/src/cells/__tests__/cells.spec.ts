import { Signal } from '@lumino/signaling';

import { domainBadges, renderDomainBadges } from '../badges';
import { renderCompleteness } from '../completeness';
import {
  CharacterCounter,
  countCharacters,
  counterText,
  formatNumber,
  lengthStatus
} from '../counter';
import { ICompletenessReport } from '../../tokens';
import { trans } from '../../__tests__/fixtures';

jest.mock('../../request');

const NNBSP = '\u202f';

describe('countCharacters', () => {
  it('counts characters with spaces, trimmed', () => {
    expect(countCharacters('  Une note.\n\n')).toBe(9);
  });

  it('counts a combining accent as one character (NFC)', () => {
    expect(countCharacters('e\u0301te\u0301')).toBe(3);
  });

  it('counts code points, not UTF-16 units', () => {
    expect(countCharacters('🌱 ok')).toBe(4);
  });

  it('counts the untouched starter text as nothing, and all of it once written in', () => {
    const placeholder = 'Date :\nMoment :';
    expect(countCharacters('Date :\nMoment :\n', placeholder)).toBe(0);
    expect(countCharacters('Date : 5 oct.\nMoment :', placeholder)).toBe(22);
  });
});

describe('lengthStatus', () => {
  it('is over past the maximum, under below the minimum, else ok', () => {
    expect(lengthStatus(5001, 3000, 5000)).toBe('over');
    expect(lengthStatus(5000, 3000, 5000)).toBe('ok');
    expect(lengthStatus(2999, 3000, 5000)).toBe('under');
    expect(lengthStatus(0, 3000, 5000)).toBe('ok');
    expect(lengthStatus(10, null, null)).toBe('ok');
  });
});

describe('formatNumber', () => {
  it('writes French thousands with a narrow no-break space', () => {
    expect(formatNumber(5000, 'fr-FR')).toBe(`5${NNBSP}000`);
    expect(formatNumber(3412, 'fr_FR')).toBe(`3${NNBSP}412`);
  });

  it('writes English thousands with a comma', () => {
    expect(formatNumber(5000, 'en')).toBe('5,000');
    expect(formatNumber(5000, 'default')).toBe('5,000');
  });
});

describe('counterText', () => {
  const limits = { min_length: 3000, max_length: 5000 };

  it('shows the count against the maximum', () => {
    expect(counterText(3412, limits, trans, 'fr-FR')).toEqual({
      count: `3${NNBSP}412 / 5${NNBSP}000 characters`,
      warning: '',
      status: 'ok'
    });
  });

  it('says in words when the maximum is passed', () => {
    const text = counterText(5001, limits, trans, 'en');
    expect(text.status).toBe('over');
    expect(text.warning).toBe('— beyond the limit');
  });

  it('notes the minimum when below it', () => {
    const text = counterText(12, limits, trans, 'en');
    expect(text.status).toBe('under');
    expect(text.warning).toBe('— below the minimum of 3,000 characters');
  });

  it('names the minimum as the target when there is no maximum', () => {
    expect(counterText(1, { min_length: 10 }, trans, 'en').count).toBe(
      '1 character, at least 10'
    );
    expect(counterText(1200, { min_length: 10 }, trans, 'en').count).toBe(
      '1,200 characters, at least 10'
    );
  });

  it('counts alone, with a plural, when there is no bound', () => {
    expect(counterText(1, {}, trans, 'en').count).toBe('1 character');
    expect(counterText(0, {}, trans, 'en').count).toBe('0 characters');
  });

  it('says an empty required section is still to write', () => {
    const text = counterText(0, { required: true }, trans, 'en');
    expect(text.warning).toBe('— required section, still empty');
    expect(counterText(0, { required: false }, trans, 'en').warning).toBe('');
  });
});

describe('domain badges', () => {
  const domains = [
    { code: 'DC2', title: 'Concevoir, conduire et évaluer des projets sociaux' }
  ];

  it('names each domain from the framework, or by its code', () => {
    expect(domainBadges(['DC2', 'DC9'], domains, trans)).toEqual([
      {
        code: 'DC2',
        label: 'DC2 — Concevoir, conduire et évaluer des projets sociaux'
      },
      { code: 'DC9', label: 'Competence domain DC9' }
    ]);
  });

  it('renders a labelled list whose badges carry the full name', () => {
    const list = renderDomainBadges(
      domainBadges(['DC2'], domains, trans),
      trans
    );
    expect(list.getAttribute('aria-label')).toBe('Competence domains');
    const badge = list.querySelector('li')!;
    expect(badge.textContent).toBe('DC2');
    expect(badge.title).toBe(
      'DC2 — Concevoir, conduire et évaluer des projets sociaux'
    );
    expect(badge.getAttribute('aria-label')).toBe(badge.title);
  });
});

describe('renderCompleteness', () => {
  const section = {
    required: true,
    min_length: 3000,
    max_length: 5000,
    domains: ['DC2']
  };
  const report: ICompletenessReport = {
    template: 'synthesis-note-fr',
    complete: false,
    missing_required: ['landmarks'],
    too_short: ['note'],
    too_long: [],
    domains_expected: ['DC2', 'DC3'],
    domains_covered: ['DC2'],
    sections: [
      {
        ...section,
        key: 'landmarks',
        heading: 'Repères du projet',
        length: 0,
        status: 'missing'
      },
      {
        ...section,
        key: 'note',
        heading: 'Note synthétique',
        length: 120,
        status: 'too_short'
      }
    ]
  };

  it('lists missing and too short sections and the domains covered', () => {
    const body = renderCompleteness(
      report,
      [{ code: 'DC3', title: 'Animer' }],
      trans,
      'en'
    );
    const text = body.textContent ?? '';
    expect(text).toContain('The document does not meet its template yet.');
    expect(text).toContain('Missing required sections');
    expect(text).toContain('Repères du projet');
    expect(text).toContain('Note synthétique: 120 characters, at least 3,000');
    expect(text).not.toContain('Too long');
    expect(text).toContain('Domains covered: 1 of 2');
    expect(text).toContain('DC2: covered');
    expect(text).toContain('DC3 — Animer: not covered yet');
  });
});

describe('CharacterCounter', () => {
  it('follows the typing and says when the maximum is passed', () => {
    let source = 'Début';
    const changed = new Signal<unknown, unknown>({});
    const cell = {
      model: { sharedModel: { changed, getSource: () => source } }
    } as unknown as ConstructorParameters<typeof CharacterCounter>[0];
    const counter = new CharacterCounter(cell, { max_length: 10 }, trans, 'en');
    expect(counter.node.textContent).toBe('5 / 10 characters ');
    source = 'Début et suite';
    changed.emit(undefined);
    expect(counter.node.textContent).toBe(
      '14 / 10 characters — beyond the limit'
    );
    expect(counter.hasClass('jp-JournalCell-count-over')).toBe(true);
    counter.dispose();
    source = 'x';
    changed.emit(undefined);
    expect(counter.node.textContent).toContain('14 / 10');
  });

  it('is disposed without error after its cell gave up its model (a notebook reloading)', () => {
    const changed = new Signal<unknown, unknown>({});
    const cell: { model: unknown } = {
      model: { sharedModel: { changed, getSource: () => 'Texte' } }
    };
    const counter = new CharacterCounter(
      cell as unknown as ConstructorParameters<typeof CharacterCounter>[0],
      { max_length: 10 },
      trans,
      'en'
    );
    cell.model = null;
    expect(() => counter.dispose()).not.toThrow();
    expect(counter.isDisposed).toBe(true);
    changed.emit(undefined);
  });
});
