import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { passportIcon } from '../icons';

/**
 * A passport's or an overview's figure as the panel shows it: the picture at
 * the panel's width, and a way to read it at full size, in a tab of the main
 * area (or, without one, in a browser tab).
 */
export function Figure(props: {
  url: string;
  /** What the figure shows, for those who don't see it. */
  description: string;
  /** The tab's title, e.g. the learner's name. */
  title: string;
  trans: TranslationBundle;
  onOpen?: (url: string, title: string, description: string) => void;
}): JSX.Element {
  const { url, description, title, trans, onOpen } = props;
  return (
    <div className="jp-JournalPassport-figure">
      {onOpen ? (
        <button
          type="button"
          className="jp-JournalPassport-figureButton"
          title={trans.__('Open the figure in a tab, at full size')}
          onClick={() => onOpen(url, title, description)}
        >
          <img
            className="jp-JournalPassport-chart"
            src={url}
            alt={description}
          />
        </button>
      ) : (
        <img className="jp-JournalPassport-chart" src={url} alt={description} />
      )}
      {onOpen ? (
        <button
          type="button"
          className="jp-JournalPassport-figureLink"
          onClick={() => onOpen(url, title, description)}
        >
          {trans.__('Open the figure in a tab, at full size')}
        </button>
      ) : (
        <a href={url} target="_blank" rel="noopener noreferrer">
          {trans.__('Open the figure at full size')}
        </a>
      )}
    </div>
  );
}

let figures = 0;

/**
 * Open a figure in a tab of the main area, at its full size (scrolling when
 * larger than the tab), with its description under it.
 */
export function openFigure(
  app: JupyterFrontEnd,
  url: string,
  title: string,
  description: string
): void {
  const content = new Widget();
  content.addClass('jp-JournalFigure');
  const image = document.createElement('img');
  image.src = url;
  image.alt = description;
  const caption = document.createElement('p');
  caption.className = 'jp-JournalFigure-caption';
  caption.textContent = description;
  content.node.append(image, caption);
  const widget = new MainAreaWidget({ content });
  widget.id = `journal-ext-figure-${++figures}`;
  widget.title.label = title;
  widget.title.icon = passportIcon;
  widget.title.closable = true;
  app.shell.add(widget, 'main');
  app.shell.activateById(widget.id);
}
