import { attachmentName } from '../../request';
import { ExportOptionsForm } from '../form';
import { exportEndpoint } from '../model';
import { trans } from '../../__tests__/fixtures';

describe('exportEndpoint', () => {
  const choice = {
    format: 'docx' as const,
    prompts: false,
    authors: true,
    annotations: false
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
        { format: 'html', prompts: true, authors: false, annotations: true },
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
          message:
            'install LibreOffice (apt-get install libreoffice-writer-nogui)'
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
    expect(why.textContent).toContain('PDF needs LibreOffice');
    expect((why as HTMLElement).title).toContain('apt-get install');
    expect(radios[2].getAttribute('aria-describedby')).toBe(why.id);
    expect(form.node.querySelector('legend')?.textContent).toBe('Format');
    expect(form.getValue()).toEqual({
      format: 'docx',
      prompts: false,
      authors: true,
      annotations: false
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
      annotations: true
    });
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
