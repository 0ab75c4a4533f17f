import { LONGEST_WAIT, Refresher } from '../refresh';

/**
 * Let the promises of a read settle.
 */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
  }
}

function setHidden(hidden: boolean): void {
  Object.defineProperty(document, 'hidden', {
    configurable: true,
    get: () => hidden
  });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('Refresher', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    setHidden(false);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('reads at the interval while reads succeed', async () => {
    const read = jest.fn(() => Promise.resolve());
    const refresher = new Refresher(read, 20);
    jest.advanceTimersByTime(19_999);
    expect(read).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(read).toHaveBeenCalledTimes(1);
    await settle();
    jest.advanceTimersByTime(20_000);
    expect(read).toHaveBeenCalledTimes(2);
    refresher.dispose();
    await settle();
    jest.advanceTimersByTime(60_000);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('waits twice as long after each failure, up to five minutes, then as usual again', async () => {
    let fail = true;
    const read = jest.fn(() =>
      fail ? Promise.reject(new Error('down')) : Promise.resolve()
    );
    const refresher = new Refresher(read, 20);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      jest.advanceTimersByTime(refresher.wait);
      await settle();
      waits.push(refresher.wait);
    }
    expect(waits).toEqual([
      40_000,
      80_000,
      160_000,
      LONGEST_WAIT,
      LONGEST_WAIT,
      LONGEST_WAIT
    ]);
    fail = false;
    jest.advanceTimersByTime(refresher.wait);
    await settle();
    expect(refresher.wait).toBe(20_000);
    refresher.dispose();
  });

  it('does not read while the tab is hidden, and reads when it is shown again', async () => {
    const read = jest.fn(() => Promise.resolve());
    const refresher = new Refresher(read, 20);
    setHidden(true);
    jest.advanceTimersByTime(120_000);
    expect(read).not.toHaveBeenCalled();
    setHidden(false);
    expect(read).toHaveBeenCalledTimes(1);
    refresher.dispose();
  });

  it('never reads at 0 seconds', () => {
    const read = jest.fn(() => Promise.resolve());
    const refresher = new Refresher(read, 0);
    jest.advanceTimersByTime(600_000);
    expect(read).not.toHaveBeenCalled();
    refresher.seconds = 5;
    jest.advanceTimersByTime(5_000);
    expect(read).toHaveBeenCalledTimes(1);
    refresher.dispose();
  });
});
