import { describe, expect, it } from 'vitest';
import { findChromium } from '../support/chromium.ts';

describe('the end-to-end suites find a browser', () => {
  const only = (path: string) => (candidate: string) => candidate === path;

  it('where CHROME_PATH (or CHROMIUM_PATH) says, and nowhere else then', () => {
    expect(findChromium({ CHROME_PATH: '/opt/chrome/chrome' }, 'linux', only('/opt/chrome/chrome'))).toBe(
      '/opt/chrome/chrome',
    );
    expect(findChromium({ CHROMIUM_PATH: '/x/chromium' }, 'linux', only('/x/chromium'))).toBe('/x/chromium');
    expect(findChromium({ CHROME_PATH: '/missing' }, 'linux', only('/usr/bin/chromium'))).toBeNull();
  });

  it('in the usual places of each system', () => {
    expect(findChromium({}, 'linux', only('/usr/bin/chromium'))).toBe('/usr/bin/chromium');
    expect(findChromium({}, 'linux', only('/snap/bin/chromium'))).toBe('/snap/bin/chromium');
    const mac = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(findChromium({}, 'darwin', only(mac))).toBe(mac);
    const windows = 'C:\\Program Files/Google/Chrome/Application/chrome.exe';
    expect(
      findChromium(
        { PROGRAMFILES: 'C:\\Program Files' },
        'win32',
        (path) => path.replaceAll('\\', '/') === windows.replaceAll('\\', '/'),
      ),
    ).not.toBeNull();
    expect(findChromium({}, 'linux', () => false)).toBeNull();
  });
});
