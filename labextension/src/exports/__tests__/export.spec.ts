import { attachmentName } from '../../request';
import { dialogTitle } from '../dialog';
import { ExportOptionsForm } from '../form';
import { exportEndpoint } from '../model';
import { trans } from '../../__tests__/fixtures';

describe('exportEndpoint', () => {
  const choice = {
    format: 'docx' as const,
    prompts: false,
    authors: true,
    annotations: false,
    pdfVariant: 'pdf/a-3b' as const
  };

  it('asks the document, group or journal export with the options', () => {
    expect(
      exportEndpoint({ kind: 'document', id: 4, title: 'D' }, choice, 'fr')
    ).toBe(
      'documents/4/export?format=docx&prompts=false&authors=true&annotations=false&lang=fr'
    );
    expect(
      exportEndpoint(
        { kind: 'group', id: 2, title: 'G' },
        {
          format: 'html',
          prompts: true,
          authors: false,
          annotations: true,
          pdfVariant: 'pdf'
        },
        'en'
      )
    ).toBe(
      'groups/2/export?format=html&prompts=true&authors=false&annotations=true&lang=en'
    );
    expect(
      exportEndpoint(
        { kind: 'journal', user: 'léa m', title: 'L' },
        choice,
        'de'
      )
    ).toBe(
      'journals/l%C3%A9a%20m/export?format=docx&prompts=false&authors=true&annotations=false'
    );
  });

  it('names the kind of PDF for a PDF only', () => {
    expect(
      exportEndpoint(
        { kind: 'passport', user: 'camille', title: 'P' },
        { ...choice, format: 'pdf', pdfVariant: 'pdf' },
        'fr'
      )
    ).toBe(
      'passports/camille/export?format=pdf&prompts=false&authors=true&annotations=false&pdf_variant=pdf&lang=fr'
    );
  });
});

describe('ExportOptionsForm', () => {
  it('checks the first available format and says why PDF is missing', () => {
    const form = new ExportOptionsForm(
      [
        { id: 'docx', available: true },
        { id: 'html', available: true },
        {
          id: 'pdf',
          available: false,
          message: 'install it (apt-get install libpango-1.0-0)'
        }
      ],
      trans
    );
    const radios = Array.from(
      form.node.querySelectorAll<HTMLInputElement>('input[type=radio]')
    );
    expect(radios.map(r => [r.value, r.checked, r.disabled])).toEqual([
      ['docx', true, false],
      ['html', false, false],
      ['pdf', false, true]
    ]);
    const why = form.node.querySelector('.jp-JournalExport-unavailable')!;
    // Plain words, no package names: the person asks their administrator.
    expect(why.textContent).toContain('Ask your administrator');
    expect(why.textContent).not.toMatch(/Pango|apt-get|soffice|WeasyPrint/);
    expect(radios[2].getAttribute('aria-describedby')).toBe(why.id);
    expect(form.node.querySelector('legend')?.textContent).toBe('Format');
    expect(form.getValue()).toEqual({
      format: 'docx',
      prompts: false,
      authors: true,
      annotations: false,
      pdfVariant: 'pdf/a-3b'
    });

    radios[1].checked = true;
    const boxes = form.node.querySelectorAll<HTMLInputElement>(
      'input[type=checkbox]'
    );
    boxes[0].checked = true;
    boxes[1].checked = false;
    boxes[2].checked = true;
    expect(form.getValue()).toEqual({
      format: 'html',
      prompts: true,
      authors: false,
      annotations: true,
      pdfVariant: 'pdf/a-3b'
    });
  });

  it('shows the kind of PDF while PDF is chosen, PDF/A-3b first', () => {
    const form = new ExportOptionsForm(
      [
        { id: 'docx', available: true },
        { id: 'html', available: true },
        {
          id: 'pdf',
          available: true,
          variants: ['pdf/a-3b', 'pdf'],
          default_variant: 'pdf/a-3b'
        }
      ],
      trans
    );
    const select = form.node.querySelector('select')!;
    const label = select.parentElement!;
    expect(Array.from(select.options).map(o => o.value)).toEqual([
      'pdf/a-3b',
      'pdf'
    ]);
    expect(label.textContent).toContain('Kind of PDF');
    const radios =
      form.node.querySelectorAll<HTMLInputElement>('input[type=radio]');
    radios[2].checked = true;
    radios[2].dispatchEvent(new Event('change', { bubbles: true }));
    expect(label.hidden).toBe(false);
    select.value = 'pdf';
    expect(form.getValue()).toMatchObject({ format: 'pdf', pdfVariant: 'pdf' });
    radios[0].checked = true;
    radios[0].dispatchEvent(new Event('change', { bubbles: true }));
    expect(label.hidden).toBe(true);
  });
});

describe('what the dialog offers for what is exported', () => {
  const formats = [
    { id: 'docx' as const, available: true },
    { id: 'html' as const, available: true }
  ];
  const offered = (form: ExportOptionsForm): string[] =>
    Array.from(
      form.node.querySelectorAll<HTMLInputElement>('input[type=checkbox]')
    ).map(box => box.dataset.option ?? '');

  it('offers a passport no option, a journal no authors, a document all', () => {
    const passport = new ExportOptionsForm(formats, trans, 'passport');
    expect(offered(passport)).toEqual([]);
    expect(passport.getValue()).toMatchObject({ format: 'docx' });
    expect(offered(new ExportOptionsForm(formats, trans, 'journal'))).toEqual([
      'prompts',
      'annotations'
    ]);
    expect(offered(new ExportOptionsForm(formats, trans, 'group'))).toEqual([
      'prompts',
      'authors',
      'annotations'
    ]);
    expect(offered(new ExportOptionsForm(formats, trans))).toEqual([
      'prompts',
      'authors',
      'annotations'
    ]);
  });

  it('titles a passport export as one', () => {
    expect(
      dialogTitle(
        { kind: 'passport', user: 'camille', title: 'Camille Martin' },
        trans
      )
    ).toBe('Export the Competence Passport of Camille Martin');
    expect(
      dialogTitle({ kind: 'document', id: 4, title: 'Diagnostic' }, trans)
    ).toBe('Export “Diagnostic”');
  });
});

describe('attachmentName', () => {
  it('prefers the UTF-8 name, else the plain one', () => {
    expect(
      attachmentName(
        'attachment; filename="journal-l_a.html"; filename*=UTF-8\'\'journal-l%C3%A9a.html'
      )
    ).toBe('journal-léa.html');
    expect(attachmentName('attachment; filename="a.docx"')).toBe('a.docx');
    expect(attachmentName(null)).toBeNull();
  });
});
