import { decodeReportBytes } from './decode';

const text = 'Name\tJoin Time\r\nАйгерім Нұрланқызы\t6/18/24, 9:00:00 AM\r\n';
const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();

describe('decodeReportBytes', () => {
  it.each([
    ['UTF-8 without a BOM', Buffer.from(text, 'utf8'), 'utf-8', false],
    [
      'UTF-8 with a BOM',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      'utf-8',
      true,
    ],
    [
      'UTF-16 LE with a BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      'utf-16le',
      true,
    ],
    [
      'UTF-16 BE with a BOM',
      Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)]),
      'utf-16be',
      true,
    ],
    ['UTF-16 LE without a BOM', Buffer.from(text, 'utf16le'), 'utf-16le', false],
  ])('reads %s, dropping the BOM from the text', (_label, bytes, encoding, hadBom) => {
    const result = decodeReportBytes(bytes);
    expect(result).toEqual({ ok: true, encoding, hadBom, text });
  });

  it('calls an empty file empty, also when it holds only a BOM or white space', () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from([0xff, 0xfe]), Buffer.from(' \r\n\t')]) {
      expect(decodeReportBytes(bytes)).toEqual({ ok: false, problem: 'The file is empty.' });
    }
  });

  it('refuses bytes that are not UTF-8 (a PNG, a Windows-1251 file) instead of guessing', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00, 0x13]);
    const cp1251 = Buffer.from([0xc0, 0xe9, 0xe3, 0xe5, 0xf0, 0xb3, 0xec]);
    for (const bytes of [png, cp1251]) {
      const result = decodeReportBytes(bytes);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.problem).toMatch(/not readable text in UTF-8/);
    }
  });
});
