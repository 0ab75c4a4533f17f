import { searchedWords } from '../widget';
import { ISearchResult } from '../../tokens';

describe('searchedWords', () => {
  const result = (parts: [string, boolean][]): ISearchResult => ({
    document: {
      id: 4,
      title: 'Diagnostic partagé',
      kind: 'shared_diagnostic',
      path: 'Journal/Groupe Quartiers/Diagnostic partagé.ipynb',
      owner: 'camille',
      owner_name: 'Camille Martin',
      group: null
    },
    cell_id: 'c1',
    section_key: 'territory',
    snippet: '',
    snippet_parts: parts.map(([text, match]) => ({ text, match }))
  });

  it('marks the quoted passage, else the words found and what lies between, else the first word', () => {
    expect(
      searchedWords(
        result([
          ['…sauf une ', false],
          ['boulangerie', true],
          [' qui sert de lieu de ', false],
          ['rencontre', true],
          [' informel.', false]
        ])
      )
    ).toEqual({
      text: 'sauf une boulangerie qui sert de lieu de rencontre informel.',
      fallbacks: ['boulangerie qui sert de lieu de rencontre', 'boulangerie']
    });
  });

  it('marks the passage alone when no word is marked as found', () => {
    expect(searchedWords(result([['Le quartier…', false]]))).toEqual({
      text: 'Le quartier'
    });
  });
});
