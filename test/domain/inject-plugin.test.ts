import { describe, expect, it } from 'vitest';
import { PLUGIN_IMPORT, injectPlugin, isPluginInjected } from '../../src/domain/inject-plugin.js';
import { inspectPython } from './_python.js';

const IMPORT = PLUGIN_IMPORT;
const BODY = ['from locust import HttpUser, task', '', 'class Shopper(HttpUser):', '    @task', '    def browse(self):', '        self.client.get("/")', ''];

const lines = (...parts: string[]): string => parts.join('\n');

describe('injectPlugin', () => {
  it('puts the import on the first line of a plain script', () => {
    const script = lines(...BODY);
    expect(injectPlugin(script)).toBe(lines(IMPORT, ...BODY));
  });

  describe('module docstrings stay first, the import comes right after', () => {
    const cases: { name: string; docstring: string[]; expected: string }[] = [
      { name: 'one-line """', docstring: ['"""Browse the shop."""'], expected: 'Browse the shop.' },
      { name: "one-line '''", docstring: ["'''Browse the shop.'''"], expected: 'Browse the shop.' },
      { name: 'multi-line """', docstring: ['"""Browse the shop.', '', 'Then check out.', '"""'], expected: 'Browse the shop.\n\nThen check out.\n' },
      { name: "multi-line '''", docstring: ["'''", 'Browse the shop.', "'''"], expected: '\nBrowse the shop.\n' },
      { name: 'r-prefixed', docstring: ['r"""Reads C:\\data\\users.csv."""'], expected: 'Reads C:\\data\\users.csv.' },
      { name: 'multi-line r-prefixed', docstring: ["R'''Paths like C:\\tmp", "and D:\\x.'''"], expected: 'Paths like C:\\tmp\nand D:\\x.' },
      { name: 'single-quoted string', docstring: ["'Browse the shop.'  # the docstring"], expected: 'Browse the shop.' },
    ];

    for (const { name, docstring, expected } of cases) {
      it(`${name}`, () => {
        const injected = injectPlugin(lines(...docstring, ...BODY));
        expect(injected).toBe(lines(...docstring, IMPORT, ...BODY));

        const python = inspectPython(injected);
        expect(python).toMatchObject({ compiles: true, docstring: expected });
        expect(python.body.slice(0, 2)).toEqual(['Expr', 'Import']);
      });
    }

    it('skips comments and blank lines above the docstring', () => {
      const head = ['# Shop scenario', '', '"""Browse the shop."""'];
      const injected = injectPlugin(lines(...head, ...BODY));
      expect(injected).toBe(lines(...head, IMPORT, ...BODY));
      expect(inspectPython(injected).docstring).toBe('Browse the shop.');
    });
  });

  describe('from __future__ imports stay before the plugin import', () => {
    it('one future import', () => {
      const head = ['from __future__ import annotations'];
      const injected = injectPlugin(lines(...head, ...BODY));
      expect(injected).toBe(lines(...head, IMPORT, ...BODY));
      expect(inspectPython(injected).compiles).toBe(true);
    });

    it('a parenthesised future import spanning lines', () => {
      const head = ['from __future__ import (', '    annotations,', '    generator_stop,  # (keeps) parentheses in comments out', ')'];
      const injected = injectPlugin(lines(...head, ...BODY));
      expect(injected).toBe(lines(...head, IMPORT, ...BODY));
      expect(inspectPython(injected).compiles).toBe(true);
    });

    it('a backslash-continued future import', () => {
      const head = ['from __future__ import annotations, \\', '    generator_stop'];
      const injected = injectPlugin(lines(...head, ...BODY));
      expect(injected).toBe(lines(...head, IMPORT, ...BODY));
      expect(inspectPython(injected).compiles).toBe(true);
    });

    it('several future imports with blank lines and comments between them', () => {
      const head = ['from __future__ import annotations', '', '# and this one', 'from __future__ import generator_stop'];
      const injected = injectPlugin(lines(...head, ...BODY));
      expect(injected).toBe(lines(...head, IMPORT, ...BODY));
      expect(inspectPython(injected).compiles).toBe(true);
    });

    it('a docstring followed by future imports', () => {
      const head = ['"""Browse the shop.', '"""', '', 'from __future__ import annotations', 'from __future__ import generator_stop'];
      const injected = injectPlugin(lines(...head, ...BODY));
      expect(injected).toBe(lines(...head, IMPORT, ...BODY));
      const python = inspectPython(injected);
      expect(python).toMatchObject({ compiles: true, docstring: 'Browse the shop.\n' });
      expect(python.body.slice(0, 4)).toEqual(['Expr', 'ImportFrom', 'ImportFrom', 'Import']);
    });
  });

  describe('comments at the top stay on top', () => {
    it('keeps the shebang on line 1 and the coding cookie where Python reads it', () => {
      const head = ['#!/usr/bin/env python3', '# -*- coding: latin-1 -*-'];
      const injected = injectPlugin(lines(...head, ...BODY));
      expect(injected).toBe(lines(...head, IMPORT, ...BODY));
      expect(injected.startsWith('#!/usr/bin/env python3\n')).toBe(true);
      // Python honours a coding cookie only on lines 1-2: it must still be seen.
      expect(inspectPython(injected)).toMatchObject({ compiles: true, encoding: 'iso-8859-1' });
    });

    it('keeps a header comment block with a coding line, a docstring and a future import in order', () => {
      const head = ['# -*- coding: utf-8 -*-', '# Copyright the shop team', '', "'''Checkout.'''", 'from __future__ import annotations'];
      const injected = injectPlugin(lines(...head, ...BODY));
      expect(injected).toBe(lines(...head, IMPORT, ...BODY));
      expect(inspectPython(injected)).toMatchObject({ compiles: true, docstring: 'Checkout.' });
    });
  });

  describe('strings that are not docstrings', () => {
    it('treats a string used in an expression as code, not as the docstring', () => {
      const script = lines('"abc".upper()', ...BODY);
      const injected = injectPlugin(script);
      expect(injected).toBe(lines(IMPORT, '"abc".upper()', ...BODY));
      expect(inspectPython(injected)).toMatchObject({ compiles: true, docstring: null });
    });

    it('does not split a triple-quoted string whose expression continues on the next line', () => {
      const head = ['"""Hello {}""".format(', '    "shop",', ')'];
      const injected = injectPlugin(lines(...head, ...BODY));
      expect(injected).toBe(lines(IMPORT, ...head, ...BODY));
      expect(inspectPython(injected).compiles).toBe(true);
    });

    it('does not split a multi-line triple-quoted string followed by a method call', () => {
      const head = ['"""Hello', '{}""".format(', '    "shop")'];
      const injected = injectPlugin(lines(...head, ...BODY));
      expect(injected).toBe(lines(IMPORT, ...head, ...BODY));
      expect(inspectPython(injected).compiles).toBe(true);
    });
  });

  describe('a script that already imports the plugin', () => {
    const already = [
      lines('import loadctl_plugin', ...BODY),
      lines('from loadctl_plugin import events', ...BODY),
      lines('"""Doc."""', 'import loadctl_plugin as plugin', ...BODY),
    ];

    for (const script of already) {
      it(`is returned unchanged: ${script.split('\n').find((line) => line.includes('loadctl_plugin'))}`, () => {
        expect(isPluginInjected(script)).toBe(true);
        expect(injectPlugin(script)).toBe(script);
      });
    }

    it('is injected once: inject(inject(x)) === inject(x)', () => {
      const scripts = [lines(...BODY), lines('"""Doc."""', 'from __future__ import annotations', ...BODY), lines('#!/usr/bin/env python3', ...BODY)];
      for (const script of scripts) {
        const once = injectPlugin(script);
        expect(injectPlugin(once)).toBe(once);
        expect(once.split('\n').filter((line) => line === IMPORT)).toHaveLength(1);
      }
    });

    it('does not count a module with a similar name', () => {
      const script = lines('import loadctl_plugin_helpers', ...BODY);
      expect(isPluginInjected(script)).toBe(false);
      expect(injectPlugin(script)).toBe(lines(IMPORT, 'import loadctl_plugin_helpers', ...BODY));
    });

    it('does not count an import indented inside a function, which would not run at start-up', () => {
      const script = lines('def later():', '    import loadctl_plugin', ...BODY);
      expect(isPluginInjected(script)).toBe(false);
      expect(injectPlugin(script)).toBe(lines(IMPORT, 'def later():', '    import loadctl_plugin', ...BODY));
    });
  });

  describe('line endings', () => {
    it('keeps CRLF on every line of a CRLF script, the import included', () => {
      const script = ['"""Doc."""', 'from __future__ import annotations', ...BODY].join('\r\n');
      const injected = injectPlugin(script);
      expect(injected).toBe(['"""Doc."""', 'from __future__ import annotations', IMPORT, ...BODY].join('\r\n'));
      expect(injected).not.toMatch(/[^\r]\n/);
      expect(inspectPython(injected)).toMatchObject({ compiles: true, docstring: 'Doc.' });
    });

    it('keeps LF scripts LF', () => {
      const injected = injectPlugin(lines(...BODY));
      expect(injected).not.toContain('\r');
    });
  });
});
