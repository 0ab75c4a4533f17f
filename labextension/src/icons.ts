import { LabIcon } from '@jupyterlab/ui-components';

/**
 * A bound notebook with ruled lines: the journal's icon.
 * `jp-icon3` lets the theme recolour it.
 */
const journalSvgstr = `<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M6 2H18A2 2 0 0 1 20 4V20A2 2 0 0 1 18 22H6A1 1 0 0 1 5 21V18.25H4A0.75 0.75 0 0 1 4 16.75H5V12.75H4A0.75 0.75 0 0 1 4 11.25H5V7.25H4A0.75 0.75 0 0 1 4 5.75H5V3A1 1 0 0 1 6 2ZM7 4V20H18V4Z"/>
    <path d="M9.5 7H15.5V8.5H9.5ZM9.5 10.5H15.5V12H9.5ZM9.5 14H13.5V15.5H9.5Z"/>
  </g>
</svg>`;

export const journalIcon = new LabIcon({
  name: 'journal_ext:journal',
  svgstr: journalSvgstr
});

/**
 * A clock with a turning arrow: the History panel's icon.
 */
const historySvgstr = `<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M13 3A9 9 0 0 0 4 12H1L4.9 15.9 8.8 12H5.8A7.2 7.2 0 1 1 13 19.2 7.1 7.1 0 0 1 7.9 17.1L6.6 18.4A9 9 0 1 0 13 3Z"/>
    <path d="M12 7.5V12.8L16.5 15.5 17.3 14.2 13.5 12V7.5Z"/>
  </g>
</svg>`;

export const historyIcon = new LabIcon({
  name: 'journal_ext:history',
  svgstr: historySvgstr
});
