/**
 * Validated IPC in main (after VS Code's validatedIpcMain): a request is served only on a known,
 * prefixed channel, from a frame of the app's own origin, with a payload its zod schema accepts
 * (core/contract/ipc-schemas.ts). Main answers its own channels (app info, opened ECG files,
 * printing, settings); every `cw:agent:<method>` is relayed to the device host. Every outcome is an
 * IpcResult; a typed error (DeviceError, PrintError…) keeps its code and Chinese message.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { agentMethodOf, appInfoChannel, mainChannels, type IpcResult } from '../../core/contract/ipc.ts';
import { ipcChannelList, ipcRequestSchema } from '../../core/contract/ipc-schemas.ts';
import type {
  AppInfo,
  OpenEcgFileEvent,
  PrinterInfo,
  PrintOptions,
  PrintOutcome,
  WorkstationSettings,
} from '../../core/contract/workstation-api.ts';
import { isAppUrl } from './security.ts';
import { CodedError, isCodedError } from '../../core/errors/index.ts';

export interface IpcBackend {
  /** The packaged file:// UI or the dev server origin. */
  appOrigin: string;
  appInfo(): AppInfo;
  /** Sends one validated agent call to the device host and resolves with its value. */
  relay(method: string, params: unknown): Promise<unknown>;
  /** This window's renderer listens for opened ECG files: answers the files held until now. */
  openEcgFileReady(sender: IpcSender): OpenEcgFileEvent[];
  listPrinters(sender: IpcSender): Promise<PrinterInfo[]>;
  print(sender: IpcSender, options: PrintOptions | undefined): Promise<PrintOutcome>;
  getSettings(): WorkstationSettings;
  /** Saves a validated partial update; answers the settings now in force. */
  updateSettings(patch: Partial<WorkstationSettings>): WorkstationSettings;
}

/** The webContents that sent a request. */
export type IpcSender = IpcMainInvokeEvent['sender'];

const failure = (error: CodedError): IpcResult<never> => ({ ok: false, error: error.toJSON() });

/** A typed error keeps its code and words (the one serialised shape, core/errors); anything else is 'internal'. */
export function toIpcError(error: unknown): IpcResult<never> {
  if (isCodedError(error)) return failure(error);
  if (error && typeof error === 'object' && 'code' in error && 'messageZh' in error) {
    const e = error as { code: unknown; message?: unknown; messageEn?: unknown; messageZh: unknown };
    return { ok: false, error: { code: String(e.code), message: String(e.messageEn ?? e.message ?? ''), messageZh: String(e.messageZh) } };
  }
  return failure(new CodedError('ipc.internal'));
}

export async function handleIpc(
  channel: string,
  event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>,
  payload: unknown,
  backend: IpcBackend,
): Promise<IpcResult<unknown>> {
  const schema = ipcRequestSchema(channel);
  if (!schema) return failure(new CodedError('ipc.unknown-channel', { channel }));
  const senderUrl = event.senderFrame?.url ?? '';
  if (!isAppUrl(senderUrl, backend.appOrigin)) return failure(new CodedError('ipc.forbidden-sender'));
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    return failure(new CodedError('ipc.invalid-request', { problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }));
  }
  try {
    const value = await answer(channel, event.sender, parsed.data, backend);
    // Structured clone cannot carry undefined inside an `ok` result consistently; null is plain.
    return { ok: true, value: value ?? null };
  } catch (error) {
    return toIpcError(error);
  }
}

/** Serves one validated request: main's own channels here, agent channels by relay. */
async function answer(channel: string, sender: IpcSender, payload: unknown, backend: IpcBackend): Promise<unknown> {
  switch (channel) {
    case appInfoChannel:
      return backend.appInfo();
    case mainChannels.openEcgFileReady:
      return backend.openEcgFileReady(sender);
    case mainChannels.listPrinters:
      return backend.listPrinters(sender);
    case mainChannels.print:
      return backend.print(sender, payload as PrintOptions | undefined);
    case mainChannels.getSettings:
      return backend.getSettings();
    case mainChannels.updateSettings:
      return backend.updateSettings(payload as Partial<WorkstationSettings>);
    default:
      return backend.relay(agentMethodOf(channel) as string, payload);
  }
}

/** Registers one handler per channel: main's own plus every relayed method of the agent table. */
export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle'>, backend: IpcBackend): string[] {
  const channels = ipcChannelList();
  for (const channel of channels) {
    ipcMain.handle(channel, (event, payload: unknown) => handleIpc(channel, event, payload, backend));
  }
  return channels;
}
