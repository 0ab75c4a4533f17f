import { attachmentName } from '../../request';
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
    expect(why.textContent).toContain('PDF needs the Pango library');
    expect((why as HTMLElement).title).toContain('apt-get install');
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
