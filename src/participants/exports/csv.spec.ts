import { csvStream, inertCell } from './csv';

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += chunk.toString();
  return out;
}

async function* rowsOf(rows: unknown[][]) {
  for (const row of rows) yield await Promise.resolve(row);
}

describe('CSV export', () => {
  it.each([
    ['=HYPERLINK("http://evil")', `'=HYPERLINK("http://evil")`],
    ['+7 701 000', `'+7 701 000`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `'\r=1`],
    ['Нұрланқызы', 'Нұрланқызы'],
    ['a=b', 'a=b'],
  ])('makes %j inert', (input, expected) => {
    expect(inertCell(input)).toBe(expected);
  });

  it('writes a BOM, a header and quoted cells', async () => {
    const csv = await text(
      csvStream(['name', 'note'], rowsOf([['Айгерім', 'says "hi", then =1+1']])),
    );
    expect(csv.startsWith('\uFEFFname,note\r\n')).toBe(true);
    expect(csv).toContain('Айгерім,"says ""hi"", then =1+1"\r\n');
  });
});
