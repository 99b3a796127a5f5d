import { Readable } from 'node:stream';
import { CrlfRecords, csvHead } from './csv';

async function crlf(chunks: string[]): Promise<string> {
  let out = '';
  for await (const chunk of Readable.from(chunks.map((c) => Buffer.from(c))).pipe(
    new CrlfRecords(),
  ))
    out += (chunk as Buffer).toString();
  return out;
}

describe('CSV export', () => {
  it('writes a BOM and the header row', () => {
    expect(csvHead(['Given name', 'Email']).toString()).toBe('\uFEFFGiven name,Email\r\n');
  });

  it('ends records with CRLF and keeps line breaks inside quoted cells', async () => {
    expect(await crlf(['Айгерім,"says ""hi"",\nthen =1+1"\nb,c\n'])).toBe(
      'Айгерім,"says ""hi"",\nthen =1+1"\r\nb,c\r\n',
    );
  });

  it('carries the quote state across chunks', async () => {
    expect(await crlf(['a,"line', ' one\nline ', 'two""', '"\nb,', 'c\n', '\n'])).toBe(
      'a,"line one\nline two"""\r\nb,c\r\n\r\n',
    );
  });
});
