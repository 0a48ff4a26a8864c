/**
 * The application menu, in Chinese (the workstation's users read Chinese): 文件 (file), 编辑 (edit),
 * 视图 (view), 帮助 (help). Developer tools appear only in an unpackaged (development) build.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuContext {
  isPackaged: boolean;
  productName: string;
  version: string;
  showAbout(): void;
  openLogFolder(): void;
  /** Asks for a .dcm / .scp file and opens it like a double-click would (ecg-file-open.ts). */
  openEcgFile(): void;
}

export function applicationMenuTemplate(context: MenuContext): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { label: '重新加载', role: 'reload' },
    { label: '强制重新加载', role: 'forceReload' },
    ...(context.isPackaged ? [] : [{ label: '开发者工具', role: 'toggleDevTools' } as const]),
    { type: 'separator' },
    { label: '实际大小', role: 'resetZoom' },
    { label: '放大', role: 'zoomIn' },
    { label: '缩小', role: 'zoomOut' },
    { type: 'separator' },
    { label: '全屏', role: 'togglefullscreen' },
  ];
  return [
    {
      label: '文件',
      submenu: [
        { label: '打开心电图文件…', accelerator: 'CmdOrCtrl+O', click: () => context.openEcgFile() },
        { label: '打开日志文件夹', click: () => context.openLogFolder() },
        { type: 'separator' },
        { label: '退出', role: 'quit' },
      ],
    },
    {
      label: '编辑',
      submenu: [
        { label: '撤销', role: 'undo' },
        { label: '重做', role: 'redo' },
        { type: 'separator' },
        { label: '剪切', role: 'cut' },
        { label: '复制', role: 'copy' },
        { label: '粘贴', role: 'paste' },
        { label: '全选', role: 'selectAll' },
      ],
    },
    { label: '视图', submenu: view },
    { label: '帮助', submenu: [{ label: `关于${context.productName}`, click: () => context.showAbout() }] },
  ];
}
