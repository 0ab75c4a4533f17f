import {
  ITextEdit,
  insertLink,
  toggleBulletList,
  toggleHeading,
  toggleInline,
  undoubledMarker
} from '../markdown';

/**
 * The text after an edit, with the selection shown as [ and ].
 */
function applied(text: string, edit: ITextEdit): string {
  const after = text.slice(0, edit.from) + edit.insert + text.slice(edit.to);
  const { start, end } = edit.selection;
  return (
    after.slice(0, start) +
    '[' +
    after.slice(start, end) +
    ']' +
    after.slice(end)
  );
}

/**
 * Run an edit on a text written with its selection as [ and ].
 */
function edit(
  marked: string,
  change: (text: string, start: number, end: number) => ITextEdit
): string {
  const start = marked.indexOf('[');
  const end = marked.indexOf(']') - 1;
  const text = marked.replace('[', '').replace(']', '');
  return applied(text, change(text, start, end));
}

describe('toggleInline', () => {
  it('puts a selected word in bold, spaces outside the marks', () => {
    expect(
      edit('Le [groupe ]a coopéré.', (t, s, e) => toggleInline(t, s, e, '**'))
    ).toBe('Le **[groupe]** a coopéré.');
  });

  it('takes the marks away from a word already in bold', () => {
    expect(
      edit('Le **[groupe]** a', (t, s, e) => toggleInline(t, s, e, '**'))
    ).toBe('Le [groupe] a');
    expect(
      edit('Le [**groupe**] a', (t, s, e) => toggleInline(t, s, e, '**'))
    ).toBe('Le [groupe] a');
  });

  it('does not take bold marks for italic ones', () => {
    expect(
      edit('Le **[groupe]** a', (t, s, e) => toggleInline(t, s, e, '*'))
    ).toBe('Le ***[groupe]*** a');
  });

  it('opens the marks at the cursor when nothing is selected', () => {
    expect(edit('Le []', (t, s, e) => toggleInline(t, s, e, '*'))).toBe(
      'Le *[]*'
    );
  });
});

describe('toggleBulletList', () => {
  it('makes the selected lines a list, and plain lines again', () => {
    const listed = edit('[un\ndeux]', toggleBulletList);
    expect(listed).toBe('[- un\n- deux]');
    expect(edit(listed, toggleBulletList)).toBe('[un\ndeux]');
  });

  it('keeps the cursor in the text of a single line', () => {
    expect(edit('Avant\nun p[]oint\nAprès', toggleBulletList)).toBe(
      'Avant\n- un p[]oint\nAprès'
    );
  });

  it('replaces a numbered marker rather than doubling it', () => {
    expect(edit('1. [un]', toggleBulletList)).toBe('- [un]');
  });
});

describe('toggleHeading', () => {
  it('makes a line a heading under the section, and back', () => {
    const heading = edit('Les [acteurs]', toggleHeading);
    expect(heading).toBe('### Les [acteurs]');
    expect(edit(heading, toggleHeading)).toBe('Les [acteurs]');
  });
});

describe('insertLink', () => {
  it('links the selected words and selects the address', () => {
    const text = 'Voir le site';
    const link = insertLink(text, 5, 12, 'texte');
    const after = text.slice(0, link.from) + link.insert + text.slice(link.to);
    expect(after).toBe('Voir [le site](https://)');
    expect(after.slice(link.selection.start, link.selection.end)).toBe(
      'https://'
    );
  });

  it('writes a placeholder when nothing is selected', () => {
    expect(insertLink('Voir ', 5, 5, 'texte').insert).toBe('[texte](https://)');
  });
});

describe('undoubledMarker', () => {
  it('drops a marker typed after one the editor already wrote', () => {
    expect(undoubledMarker('- -')).toBe('- ');
    expect(undoubledMarker('  * -')).toBe('  * ');
    expect(undoubledMarker('2. 1.')).toBe('2. ');
  });

  it('leaves other lines alone', () => {
    expect(undoubledMarker('-')).toBeNull();
    expect(undoubledMarker('- un -')).toBeNull();
    expect(undoubledMarker('a -')).toBeNull();
  });
});
