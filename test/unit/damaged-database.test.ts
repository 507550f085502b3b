import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppInfo } from '../../app/contract.ts';
import { pathsIn } from '../../main/paths.ts';
import { call, desktopServices } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

describe('a damaged database', () => {
  it('is set aside whole and the app starts afresh, saying where the old one is', async () => {
    const dir = tempDir();
    const paths = pathsIn(join(dir, 'data'));
    mkdirSync(paths.dataDir, { recursive: true });
    const garbage = Buffer.from('SQLite format 3\0'.padEnd(4096, '\u00ff'));
    writeFileSync(paths.databaseFile, garbage);

    const services = desktopServices(dir);
    try {
      const info = await call<AppInfo>(services, 'getAppInfo', {});
      expect(info.startupNotice).toContain('was damaged and could not be read');
      const aside = readdirSync(paths.dataDir).filter((name) => name.includes('.damaged-'));
      expect(aside).toEqual([expect.stringMatching(/^vitally-importer\.damaged-.*\.sqlite$/)]);
      const file = aside[0] ?? '';
      expect(info.startupNotice).toContain(file);
      expect(readFileSync(join(paths.dataDir, file))).toEqual(garbage);
      // The app works on its new database.
      expect(await call(services, 'listRuns', {})).toEqual([]);
    } finally {
      await services.close();
    }
  });

  it('says nothing when all is well', async () => {
    const services = desktopServices(tempDir());
    try {
      expect((await call<AppInfo>(services, 'getAppInfo', {})).startupNotice).toBeNull();
    } finally {
      await services.close();
    }
  });
});
