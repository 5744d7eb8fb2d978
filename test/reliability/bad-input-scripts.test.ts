// Bad script uploads through the API: refused 400 with a message that says what is wrong,
// and nothing written (no test on create, no revision on update).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SCRIPT_BYTES } from '../../src/domain/script-source.js';
import { SHOP_SCRIPT, base64, startHarness, type Harness } from '../controlplane/_harness.js';

const CASES: { label: string; scriptContent: string; code: string; message: RegExp }[] = [
  { label: 'over 1 MiB once decoded', scriptContent: Buffer.alloc(MAX_SCRIPT_BYTES + 1, 0x23).toString('base64'), code: 'LOADCTL_SCRIPT_INVALID', message: /1048577 bytes; the limit is 1048576 bytes \(1 MiB\)/ },
  { label: 'base64 over the size limit', scriptContent: 'A'.repeat(1_500_004), code: 'LOADCTL_BAD_REQUEST', message: /scriptContent/ },
  { label: 'not base64 (punctuation)', scriptContent: '!!!not base64!!!', code: 'LOADCTL_SCRIPT_INVALID', message: /not valid base64/ },
  { label: 'not base64 (bad length)', scriptContent: 'abc', code: 'LOADCTL_SCRIPT_INVALID', message: /not valid base64/ },
  { label: 'not base64 (unicode)', scriptContent: 'ZnJvbSBsb2N1c3Qg\u00e9', code: 'LOADCTL_SCRIPT_INVALID', message: /not valid base64/ },
  { label: 'not UTF-8', scriptContent: Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x0a]).toString('base64'), code: 'LOADCTL_SCRIPT_INVALID', message: /not UTF-8/ },
  { label: 'NUL bytes', scriptContent: base64(`${SHOP_SCRIPT}\u0000`), code: 'LOADCTL_SCRIPT_INVALID', message: /NUL bytes/ },
  { label: 'empty once decoded', scriptContent: base64('  \n\t\n'), code: 'LOADCTL_SCRIPT_INVALID', message: /empty/ },
  { label: 'a syntax error', scriptContent: base64('from locust import HttpUser\n\nclass Shopper(HttpUser:\n    pass\n'), code: 'LOADCTL_SCRIPT_SYNTAX', message: /syntax error at line 3/ },
  { label: 'return outside a function', scriptContent: base64('from locust import HttpUser\nreturn 1\n'), code: 'LOADCTL_SCRIPT_SYNTAX', message: /line 2.*'return' outside function/ },
  { label: 'no User class', scriptContent: base64('import os\nprint(os.getcwd())\n'), code: 'LOADCTL_SCRIPT_INVALID', message: /no Locust User class/ },
];

describe('bad script uploads through the API', () => {
  let h: Harness;
  let testId: string;

  beforeAll(async () => {
    h = await startHarness();
    const created = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { name: 'scripts', targetUrl: 'http://127.0.0.1:9', scriptContent: base64(SHOP_SCRIPT) } });
    expect(created.statusCode, created.body).toBe(201);
    testId = created.json().id;
  });
  afterAll(async () => {
    await h?.close();
  });

  for (const { label, scriptContent, code, message } of CASES) {
    it(`refuses ${label} on create and on update, and writes nothing`, async () => {
      const tests = await h.store.listLoadTests({ limit: 100, offset: 0 });
      const revisions = await h.store.listScriptRevisions(testId);
      const answers = [
        await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { name: `bad ${label}`, targetUrl: 'http://127.0.0.1:9', scriptContent } }),
        await h.app.inject({ method: 'PUT', url: `/v1/load-tests/${testId}/script`, payload: { scriptContent } }),
      ];
      for (const answer of answers) {
        expect(answer.statusCode, answer.body.slice(0, 300)).toBe(400);
        expect(answer.json().error.code).toBe(code);
        expect(answer.json().error.message).toMatch(message);
      }
      expect(await h.store.listLoadTests({ limit: 100, offset: 0 })).toEqual(tests);
      expect(await h.store.listScriptRevisions(testId)).toEqual(revisions);
    });
  }
});
