/**
 * AntdRoot for component tests, with antd's CSS-in-JS styles written into a detached element instead
 * of document.head. jsdom parses every <style> put into the document, and antd writes one per
 * component type and token set: that parsing, not React, was most of an antd screen's test time
 * (the first-run wizard's tests: 23 s with the styles in the head, 4.8 s without, same machine and
 * load). Tests check behaviour, never layout, so nothing they look at depends on those styles.
 * Animations and click waves off too: jsdom never ends a transition, so they only cost time here.
 */
import { StyleProvider } from '@ant-design/cssinjs';
import { ConfigProvider } from 'antd';
import type { ReactNode } from 'react';
import { AntdRoot } from '../app/AntdRoot.tsx';

const detachedStyles = document.createElement('div');

export function AntdTestRoot({ children }: { children: ReactNode }) {
  return (
    <StyleProvider container={detachedStyles}>
      <AntdRoot>
        <ConfigProvider wave={{ disabled: true }} theme={{ token: { motion: false } }}>
          {children}
        </ConfigProvider>
      </AntdRoot>
    </StyleProvider>
  );
}
