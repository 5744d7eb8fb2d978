import { describe, expect, it } from 'vitest';
import { parseUriParts, redactSecrets } from '../../src/store/_mongo-errors.js';

describe('parseUriParts', () => {
  it.each([
    ['mongodb://127.0.0.1:27018/', '127.0.0.1:27018'],
    ['mongodb://db.example.com/load_testing', 'db.example.com:27017'],
    ['mongodb://u:p%40ss@a:1,b:2,c/x?replicaSet=rs0', 'a:1,b:2,c:27017'],
    ['mongodb+srv://u:p@cluster0.example.net/?retryWrites=true', 'cluster0.example.net'],
    ['mongodb://[::1]:27017/', '[::1]:27017'],
  ])('names the hosts of %s', (uri, hosts) => {
    expect(parseUriParts(uri).hosts).toBe(hosts);
  });

  it('finds the password even when it holds an encoded @', () => {
    expect(parseUriParts('mongodb://ana:s%40cret@h:1/').password).toBe('s%40cret');
    expect(parseUriParts('mongodb://ana@h:1/').password).toBeUndefined();
  });
});

describe('redactSecrets', () => {
  it('removes the password in raw and decoded form and any user:password@ in the text', () => {
    const uri = 'mongodb://ana:s%40cret@h:1/';
    const text = 'auth failed for s@cret and s%40cret via mongodb://bob:other@h:1/';
    const redacted = redactSecrets(text, uri);
    expect(redacted).not.toMatch(/s@cret|s%40cret|other/);
    expect(redacted).toContain('mongodb://bob:***@h:1/');
  });

  it('leaves text alone when the URI has no password', () => {
    expect(redactSecrets('connect ECONNREFUSED 127.0.0.1:1', 'mongodb://127.0.0.1:1/')).toBe(
      'connect ECONNREFUSED 127.0.0.1:1',
    );
  });
});
