/**
 * AntdRoot for component tests (renderWorkstation and every test rendering an antd screen), with
 * antd's CSS-in-JS styles written into a detached element instead of document.head. jsdom parses
 * every <style> put into the document, and its getComputedStyle (which every getByRole calls, up the
 * tree, to skip hidden elements) reads them all each time: that, not React, was most of an antd
 * screen's test time (the first-run wizard's tests: 23 s with the styles in the head, 4.8 s without;
 * the registration tests: half the CPU). Tests check behaviour, never layout, so nothing they look at
 * depends on those styles — except that what only antd's CSS hides (a closed Select popup, an
 * inactive tab pane) counts as visible here. The E2E tests in Chromium see the real styles.
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
