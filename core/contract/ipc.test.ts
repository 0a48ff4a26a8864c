import { describe, expect, it } from 'vitest';
import { agentRequestSchema } from './agent-protocol.ts';
import { agentChannel, agentMethodOf, ipcTimeoutFor, ipcTimeoutMs, relayTimeoutFor } from './ipc.ts';
import { agentParamsSchemas, ipcChannelList, ipcRequestSchema } from './ipc-schemas.ts';

describe('IPC contract derived from the agent method table', () => {
  it('gives every agent method but the main-owned ones a cw:agent: channel with the table’s params schema', () => {
    const methods = agentRequestSchema.options.map((o) => o.shape.method.value as string);
    const relayed = methods.filter((m) => !['app.info', 'subscribe', 'unsubscribe'].includes(m));
    expect([...agentParamsSchemas.keys()].sort()).toEqual(relayed.sort());
    // Plus main's own: app info, the opened-file ready call, two printing and two settings channels.
    expect(ipcChannelList()).toHaveLength(relayed.length + 6);
    const configure = ipcRequestSchema(agentChannel('configure'));
    expect(configure?.safeParse({ kind: 'ecg', path: 'COM4', baudRate: 115200 }).success).toBe(true);
    expect(configure?.safeParse({ kind: 'ecg', path: '', baudRate: 115200 }).success).toBe(false);
  });

  it('knows no channel outside the prefix and maps channels back to methods', () => {
    expect(ipcRequestSchema('cw:agent:shell.exec')).toBeUndefined();
    expect(ipcRequestSchema('listPorts')).toBeUndefined();
    expect(agentMethodOf('cw:agent:simulator.placeCard')).toBe('simulator.placeCard');
    expect(agentMethodOf('cw:app:info')).toBeUndefined();
  });

  it('waits longer for auto-detect, and main gives up on the device host before the preload gives up on main', () => {
    expect(ipcTimeoutFor('cw:agent:listPorts')).toBe(ipcTimeoutMs);
    expect(ipcTimeoutFor('cw:agent:autoDetect')).toBeGreaterThan(ipcTimeoutMs);
    for (const method of ['listPorts', 'autoDetect']) expect(relayTimeoutFor(method)).toBeLessThan(ipcTimeoutFor(agentChannel(method as 'listPorts')));
  });
});

describe('settings over IPC', () => {
  const update = ipcRequestSchema('cw:settings:update')!;
  it('accepts the hub addresses a county uses, and any subset of the settings', () => {
    for (const hubUrl of ['https://hub.county.cn', 'http://127.0.0.1:5180', 'http://10.20.1.5:8080/hub', 'https://[::1]:3000', '']) expect(update.safeParse({ hubUrl }).success, hubUrl).toBe(true);
    expect(update.safeParse({}).success).toBe(true);
    expect(update.safeParse({ printerName: null, autoUpdate: true }).success).toBe(true);
  });

  it('refuses addresses that are not http(s) or carry a user name', () => {
    for (const hubUrl of ['file:///etc/passwd', 'hub.county.cn', 'https://admin@hub.county.cn', 'HTTP://u:p@hub']) expect(update.safeParse({ hubUrl }).success, hubUrl).toBe(false);
  });
});
