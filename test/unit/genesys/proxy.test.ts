// Which proxy a call goes through (genesys/proxy.ts): the variables as curl and Go read them.
import { describe, expect, it } from 'vitest';
import { checkedProxyUrl, proxyFor, proxyPasswords, proxySettingsFrom, tunnelProxy } from '../../../src/genesys/proxy.js';

const P = 'http://proxy.corp:3128';

describe('proxySettingsFrom', () => {
  it('reads both spellings, the lowercase one first, and treats an empty value as unset', () => {
    expect(proxySettingsFrom({ HTTPS_PROXY: P, https_proxy: 'http://lower:1', HTTP_PROXY: '', NO_PROXY: '.corp' })).toEqual({ https: 'http://lower:1', noProxy: '.corp' });
    expect(proxySettingsFrom({})).toEqual({});
  });
});

describe('proxyFor', () => {
  const to = (url: string, s: Parameters<typeof proxyFor>[1]) => proxyFor(new URL(url), s);
  it('takes the proxy of the scheme', () => {
    expect(to('https://api.mypurecloud.com/', { https: P })).toBe(P);
    expect(to('http://api.example.com/', { https: P })).toBeUndefined();
    expect(to('http://api.example.com/', { http: P })).toBe(P);
  });
  it('gives a bare host:port (accepted by checkedProxyUrl) its http scheme, as the agent parses a URL', () => {
    const bare = to('https://api.mypurecloud.com/', { https: 'proxy.corp:3128' });
    expect(bare).toBe('http://proxy.corp:3128');
    expect(new URL(bare!).hostname).toBe('proxy.corp');
  });
  it('never proxies this machine', () => {
    for (const u of ['http://127.0.0.1:4010/', 'http://localhost:4010/', 'https://[::1]:4010/', 'http://127.0.0.2/']) expect(to(u, { http: P, https: P }), u).toBeUndefined();
  });
  it('connects directly to what NO_PROXY names: hosts, domains with or without a dot, ports, *', () => {
    const s = (noProxy: string) => ({ https: P, noProxy });
    expect(to('https://api.mypurecloud.com/', s('mypurecloud.com'))).toBeUndefined();
    expect(to('https://api.mypurecloud.com/', s('.mypurecloud.com'))).toBeUndefined();
    expect(to('https://api.mypurecloud.com/', s('*.mypurecloud.com'))).toBeUndefined();
    expect(to('https://api.mypurecloud.com/', s('other.com, api.mypurecloud.com'))).toBeUndefined();
    expect(to('https://api.mypurecloud.com/', s('*'))).toBeUndefined();
    expect(to('https://api.mypurecloud.com/', s('api.mypurecloud.com:443'))).toBeUndefined();
    // Not a suffix on a dot boundary, another port, another host.
    expect(to('https://api.mypurecloud.com/', s('purecloud.com'))).toBe(P);
    expect(to('https://api.mypurecloud.com/', s('api.mypurecloud.com:8443'))).toBe(P);
    expect(to('https://api.mypurecloud.com/', s('login.mypurecloud.com'))).toBe(P);
  });
  it('matches an IPv6 target to an IPv6 entry, written with or without brackets, in any of its spellings', () => {
    const s = (noProxy: string) => ({ https: P, noProxy });
    const target = 'https://[2001:db8::1]/';
    for (const entry of ['2001:db8::1', '[2001:db8::1]', '[2001:db8::1]:443', '2001:DB8:0:0:0:0:0:1', 'other.com,2001:db8::1']) expect(to(target, s(entry)), entry).toBeUndefined();
    expect(to('https://[2001:db8:0::1]:8443/', s('2001:db8::1'))).toBeUndefined();
    // Another address, another port, an IPv4 entry, a name: through the proxy.
    for (const entry of ['2001:db8::2', '[2001:db8::1]:8443', '::1', '1', 'db8::1', '10.0.0.1']) expect(to(target, s(entry)), entry).toBe(P);
    // An IPv4 target is still matched as before.
    expect(to('https://10.1.2.3/', s('10.1.2.3'))).toBeUndefined();
    expect(to('https://10.1.2.3/', s('10.1.2.3:443'))).toBeUndefined();
    // An address has no domains: the tail of one is no entry for it (curl's reading, not Go's).
    for (const entry of ['0.1', '.3', '2.3', '1.2.3']) expect(to('https://10.1.2.3/', s(entry)), entry).toBe(P);
  });
});

describe('tunnelProxy', () => {
  it('hands the tunnel a bare IPv6 address, not the bracketed host a URL keeps (which was looked up as a name: ENOTFOUND)', () => {
    expect(tunnelProxy('http://user:pa%40ss@[::1]:3128')).toEqual({ protocol: 'http:', hostname: '::1', port: '3128', username: 'user', password: 'pa%40ss' });
    expect(tunnelProxy('https://[2001:DB8::7]').hostname).toBe('2001:db8::7');
    expect(tunnelProxy('http://proxy.corp:3128')).toEqual({ protocol: 'http:', hostname: 'proxy.corp', port: '3128', username: '', password: '' });
    expect(tunnelProxy('http://127.0.0.1:9').hostname).toBe('127.0.0.1');
  });
});

describe('checkedProxyUrl and proxyPasswords', () => {
  it('accepts http(s) URLs and a bare host:port, refuses anything else by name', () => {
    expect(checkedProxyUrl('proxy.corp:3128', 'HTTPS_PROXY').href).toBe('http://proxy.corp:3128/');
    expect(checkedProxyUrl('https://u:p@proxy.corp', 'HTTPS_PROXY').protocol).toBe('https:');
    expect(() => checkedProxyUrl('socks5://proxy.corp:1080', 'HTTPS_PROXY')).toThrow('HTTPS_PROXY must be an http:// or https:// proxy URL');
    expect(() => checkedProxyUrl('http://', 'HTTP_PROXY')).toThrow('HTTP_PROXY is not a URL');
  });
  it('names the passwords, as written and decoded, and nothing else', () => {
    expect(proxyPasswords({ https: 'http://alice:s%40cret-pass@proxy.corp:3128', http: P }).sort()).toEqual(['s%40cret-pass', 's@cret-pass']);
    expect(proxyPasswords({ https: 'http://alice@proxy.corp:3128' })).toEqual([]);
  });
});
