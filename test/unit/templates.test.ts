import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mapping, Template, TemplateOffer } from '../../app/contract.ts';
import { parseTemplateText, templateText } from '../../app/map/templates.ts';
import { buildRow } from '../../app/messages/builder.ts';
import type { Services } from '../../main/services/index.ts';
import { call, desktopServices, loadCsv } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

describe('mapping templates', () => {
  let dir: string;
  let services: Services;

  const load = (name: string, text: string) => loadCsv(services, dir, name, text);

  beforeEach(() => {
    dir = tempDir();
    services = desktopServices(dir);
  });

  afterEach(async () => {
    await services.close();
  });

  it('offers a saved mapping for a later file with the same columns, in any order, and not for others', async () => {
    const first = await load('january.csv', 'Account ID,User ID,Plan\nA1,U1,Pro\n');
    const { mapping } = await call<{ mapping: Mapping }>(services, 'getMapping', { fileId: first });
    const saved = await call<Template>(services, 'saveTemplate', { name: 'Monthly users', mapping });
    expect(saved).toMatchObject({ name: 'Monthly users', columns: ['Account ID', 'User ID', 'Plan'] });

    const february = await load('february.csv', 'Plan,User ID,Account ID,Notes\nBasic,U2,A2,hi\n');
    const offers = await call<TemplateOffer[]>(services, 'templateOffers', { fileId: february });
    expect(offers.map((o) => o.template.name)).toEqual(['Monthly users']);
    expect(offers[0]?.template.mapping).toEqual(mapping);
    const other = await load('accounts.csv', 'Account ID,Plan\nA1,Pro\n');
    expect(await call(services, 'templateOffers', { fileId: other })).toEqual([]);

    // Saving under the same name, in any case, replaces it.
    await call(services, 'saveTemplate', { name: 'monthly USERS', mapping: { ...mapping, conflicts: 'last' } });
    const all = await call<Template[]>(services, 'listTemplates', {});
    expect(all.map((t) => [t.name, t.mapping.conflicts])).toEqual([['monthly USERS', 'last']]);
    expect(await call(services, 'deleteTemplate', { id: all[0]?.id })).toEqual({ deleted: true });
    expect(await call(services, 'listTemplates', {})).toEqual([]);
  });

  it('shares a template as a documented JSON file, imported without overwriting one of the same name', async () => {
    const fileId = await load('users.csv', 'Account ID,User ID\nA1,U1\n');
    const { mapping } = await call<{ mapping: Mapping }>(services, 'getMapping', { fileId });
    const saved = await call<Template>(services, 'saveTemplate', { name: 'Users: weekly', mapping });
    const exported = await call<{ fileName: string; text: string }>(services, 'exportTemplate', { id: saved.id });
    expect(exported.fileName).toBe('Users- weekly.vitally-mapping.json');
    expect(JSON.parse(exported.text)).toEqual({
      format: 'vitally-importer-mapping',
      version: 1,
      name: 'Users: weekly',
      columns: ['Account ID', 'User ID'],
      mapping,
      savedAt: saved.updatedAt,
    });
    const imported = await call<Template>(services, 'importTemplate', { text: exported.text });
    expect(imported).toMatchObject({ name: 'Users: weekly (2)', mapping });
  });

  it.each([
    ['not JSON', 'hello', 'This file is not a mapping template: it is not JSON.'],
    ['another JSON file', '{"name":"x"}', 'This file is not a Vitally Importer mapping template.'],
    [
      'a newer format',
      '{"format":"vitally-importer-mapping","version":2}',
      'This template was saved by a newer Vitally Importer. Update the app to use it.',
    ],
    [
      'a damaged template',
      '{"format":"vitally-importer-mapping","version":1,"name":"x","columns":[],"mapping":{"version":1,"messages":[]}}',
      'This mapping template is damaged (at mapping.messages): Too small: expected array to have >=1 items.',
    ],
  ])('refuses %s in plain words', async (_what, text, message) => {
    expect(await services.dispatch('importTemplate', { text })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message },
    });
  });

  it('reads the example in docs/mapping-format.md', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'mapping-format.md'), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const template = parseTemplateText(example);
    expect(template.name).toBe('Monthly users export');
    expect(template.columns).toEqual([
      'Account ID',
      'Account Name',
      'User ID',
      'First name',
      'Last name',
      'E-mail',
      'Signup date',
      'Seats',
    ]);
    // What it says is what it does: saved and read back unchanged, its joined name built as documented.
    expect(parseTemplateText(templateText(template.name, template.mapping, 'x')).mapping).toEqual(template.mapping);
    const columns = template.columns;
    const row = ['A1', 'Acme', 'U1', 'Ada', 'Lovelace', 'ada@acme.io', '05/06/2024', '3'];
    const built = buildRow(template.mapping, { columns, runTimestamp: '2026-01-01T00:00:00.000Z' }, [2, ...row]);
    expect(built.problems).toEqual([]);
    expect(JSON.parse(built.messages[1]?.json ?? '{}')).toMatchObject({
      traits: { name: 'Ada Lovelace', email: 'ada@acme.io', createdAt: '2024-06-05', 'vitally.custom.seats': 3 },
    });
  });

  it('keeps every mapping option through a template file: time zone, separator, combined and joined columns, date order', () => {
    const mapping: Mapping = {
      version: 1,
      conflicts: 'flag',
      timeZone: 'Europe/Berlin',
      typeColumn: 'Type',
      messages: [
        {
          type: 'user',
          fields: { userId: { column: 'User ID' }, accountId: { column: 'Account ID' } },
          traits: [
            { column: 'Email', key: 'email', type: 'text', blank: 'omit', decimal: '.', combine: 'first-filled' },
            { column: 'Email (2)', key: 'email', type: 'text', blank: 'omit', decimal: '.', combine: 'first-filled' },
            { column: 'Tags', key: 'tags', type: 'multiselect', blank: 'omit', decimal: '.', separator: ';' },
            { column: 'Last', key: 'name', type: 'text', blank: 'omit', decimal: '.', combine: 'join', joinWith: ', ' },
            {
              column: 'First',
              key: 'name',
              type: 'text',
              blank: 'null',
              decimal: '.',
              combine: 'join',
              joinWith: ', ',
            },
            { column: 'Seen', key: 'seen', type: 'datetime', blank: 'omit', decimal: '.', dateOrder: 'DMY' },
          ],
        },
      ],
    };
    const text = templateText('Contacts', mapping, '2026-12-02T10:00:00.000Z');
    expect(parseTemplateText(text).mapping).toEqual(mapping);
    expect(() => parseTemplateText(text.replace('Europe/Berlin', 'Mars/Olympus'))).toThrow(
      'This mapping template is damaged (at mapping.timeZone): is not a time zone.',
    );
  });
});
