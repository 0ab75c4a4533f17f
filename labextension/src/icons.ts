import { LabIcon } from '@jupyterlab/ui-components';

/**
 * A 24×24 icon of the journal drawn with `paths`, in a group of class
 * `jp-icon3` so that the theme recolours it.
 */
function journalIconOf(name: string, paths: string[]): LabIcon {
  const drawn = paths.map(path => `<path d="${path}"/>`).join('');
  return new LabIcon({
    name: `journal_ext:${name}`,
    svgstr: `<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><g class="jp-icon3" fill="#616161">${drawn}</g></svg>`
  });
}

/**
 * A bound notebook with ruled lines: the journal's icon.
 */
export const journalIcon = journalIconOf('journal', [
  'M6 2H18A2 2 0 0 1 20 4V20A2 2 0 0 1 18 22H6A1 1 0 0 1 5 21V18.25H4A0.75 0.75 0 0 1 4 16.75H5V12.75H4A0.75 0.75 0 0 1 4 11.25H5V7.25H4A0.75 0.75 0 0 1 4 5.75H5V3A1 1 0 0 1 6 2ZM7 4V20H18V4Z',
  'M9.5 7H15.5V8.5H9.5ZM9.5 10.5H15.5V12H9.5ZM9.5 14H13.5V15.5H9.5Z'
]);

/**
 * A clock with a turning arrow: the History panel's icon.
 */
export const historyIcon = journalIconOf('history', [
  'M13 3A9 9 0 0 0 4 12H1L4.9 15.9 8.8 12H5.8A7.2 7.2 0 1 1 13 19.2 7.1 7.1 0 0 1 7.9 17.1L6.6 18.4A9 9 0 1 0 13 3Z',
  'M12 7.5V12.8L16.5 15.5 17.3 14.2 13.5 12V7.5Z'
]);

/**
 * A speech bubble with lines of text: the Comments panel's icon.
 */
export const commentIcon = journalIconOf('comment', [
  'M4 3H20A2 2 0 0 1 22 5V16A2 2 0 0 1 20 18H9L4 22V18A2 2 0 0 1 2 16V5A2 2 0 0 1 4 3ZM4 5V16H6V17.8L8.3 16H20V5Z',
  'M7 8H17V9.5H7ZM7 11.5H14V13H7Z'
]);

/**
 * A passport booklet with a rosette: the Competence Passport panel's icon.
 */
export const passportIcon = journalIconOf('passport', [
  'M6 2H18A2 2 0 0 1 20 4V20A2 2 0 0 1 18 22H6A2 2 0 0 1 4 20V4A2 2 0 0 1 6 2ZM6 4V20H18V4Z',
  'M12 6A3.5 3.5 0 1 1 12 13 3.5 3.5 0 0 1 12 6ZM12 7.6A1.9 1.9 0 1 0 12 11.4 1.9 1.9 0 0 0 12 7.6Z',
  'M8 15.5H16V17H8Z'
]);
