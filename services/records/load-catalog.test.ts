import { describe, expect, it, vi } from 'vitest';
import { loadCatalog } from './open-clinic-records.ts';

const jsonResponse = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

describe("the administrator's item catalogue", () => {
  it('replaces the starter set when ./catalog/items.json is present and valid', async () => {
    const file = { version: 2, items: [{ code: 'LAB-LOCAL', name: '本地项目', category: 'lab', priceYuan: 9, recognitionScope: 'community' }] };
    const catalog = await loadCatalog(async () => jsonResponse(file));
    expect(catalog.items.map((i) => i.code)).toEqual(['LAB-LOCAL']);
  });

  it('keeps the starter set, and says why, when the replaced file is invalid', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const catalog = await loadCatalog(async () => jsonResponse({ version: 1, items: [{ code: 'bad code', name: '', category: 'x' }] }));
    expect(catalog.find('LAB-CBC')?.name).toBe('血常规');
    expect(String(warn.mock.calls[0]?.[1])).toContain('The item catalogue file is not valid');
    warn.mockRestore();
  });

  it('uses the starter set when no file was put there', async () => {
    const catalog = await loadCatalog(async () => new Response('not found', { status: 404 }));
    expect(catalog.find('EXAM-ECG')?.validityDays).toBe(30);
  });
});
