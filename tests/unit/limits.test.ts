import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_LIMITS } from '../../utils/limits';
import { currentLimits, limitsOverrideItem } from '../../utils/limits-override';

describe('currentLimits', () => {
  beforeEach(() => fakeBrowser.reset());

  it.each([
    { stored: undefined, expected: DEFAULT_LIMITS },
    { stored: { localStallMs: 3000 }, expected: { ...DEFAULT_LIMITS, localStallMs: 3000 } },
    {
      stored: { cloudRequestMs: 1000, cloudExportMs: 5000 },
      expected: { ...DEFAULT_LIMITS, cloudRequestMs: 1000, cloudExportMs: 5000 },
    },
    { stored: { localStallMs: 'soon' }, expected: DEFAULT_LIMITS },
    { stored: { localStallMs: -5 }, expected: DEFAULT_LIMITS },
    { stored: 'fast', expected: DEFAULT_LIMITS },
  ])('reads $stored as the defaults with what is valid of it', async ({ stored, expected }) => {
    if (stored !== undefined) await limitsOverrideItem.setValue(stored);
    expect(await currentLimits()).toEqual(expected);
  });
});
