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
