/**
 * Driving rendered widgets as a person would, the way React sees it.
 */
import { act } from 'react';

// Renders driven from the specs run inside act(), as React expects of a test.
(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

/** Let pending requests and renders finish. */
export async function settle(): Promise<void> {
  await act(() => new Promise(resolve => setTimeout(resolve, 50)));
}

/** Click an element. */
export async function click(element: Element): Promise<void> {
  await act(async () => {
    (element as HTMLElement).click();
  });
}

/** The button of `root` whose text is `text`. */
export function button(
  root: Element,
  text: string
): HTMLButtonElement | undefined {
  return Array.from(root.querySelectorAll<HTMLButtonElement>('button')).find(
    b => b.textContent === text
  );
}

/** Type into an input or a text area, or choose in a select. */
export async function enter(
  element: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
  value: string
): Promise<void> {
  const prototype = Object.getPrototypeOf(element);
  Object.getOwnPropertyDescriptor(prototype, 'value')!.set!.call(
    element,
    value
  );
  await act(async () => {
    element.dispatchEvent(
      new Event(element instanceof HTMLSelectElement ? 'change' : 'input', {
        bubbles: true
      })
    );
  });
}
