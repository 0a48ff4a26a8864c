import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { applicationMenuTemplate, type MenuContext } from './menu.ts';

vi.mock('electron', () => ({}));

const makeContext = (overrides: Partial<MenuContext> = {}): MenuContext => ({
  isPackaged: true,
  productName: '乡镇卫生院工作站',
  version: '0.1.0',
  showAbout: vi.fn(),
  openLogFolder: vi.fn(),
  openEcgFile: vi.fn(),
  ...overrides,
});

const items = (template: MenuItemConstructorOptions[], label: string) =>
  (template.find((m) => m.label === label)?.submenu ?? []) as MenuItemConstructorOptions[];

describe('application menu', () => {
  it('has the Chinese 文件 / 编辑 / 视图 / 帮助 menus', () => {
    expect(applicationMenuTemplate(makeContext()).map((m) => m.label)).toEqual(['文件', '编辑', '视图', '帮助']);
  });

  it('offers reload, and developer tools only in a development build', () => {
    const packaged = items(applicationMenuTemplate(makeContext({ isPackaged: true })), '视图').map((i) => i.role);
    const development = items(applicationMenuTemplate(makeContext({ isPackaged: false })), '视图').map((i) => i.role);
    expect(packaged).toContain('reload');
    expect(packaged).not.toContain('toggleDevTools');
    expect(development).toContain('toggleDevTools');
  });

  it('opens the about box from 帮助', () => {
    const context = makeContext();
    const about = items(applicationMenuTemplate(context), '帮助')[0];
    expect(about?.label).toBe('关于乡镇卫生院工作站');
    (about?.click as () => void)();
    expect(context.showAbout).toHaveBeenCalled();
  });

  it('opens an ECG file from 文件 (for PCs where the file association is not set up)', () => {
    const context = makeContext();
    const open = items(applicationMenuTemplate(context), '文件')[0];
    expect(open).toMatchObject({ label: '打开心电图文件…', accelerator: 'CmdOrCtrl+O' });
    (open?.click as () => void)();
    expect(context.openEcgFile).toHaveBeenCalled();
  });
});
