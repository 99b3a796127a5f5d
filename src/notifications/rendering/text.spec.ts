import { escapeHtml, markup } from './html';
import { fileSafe, fullName, oneLine } from './text';

describe('oneLine', () => {
  it('turns line breaks and other control characters into one space', () => {
    expect(oneLine('Eve\r\nBcc: x@evil.test')).toBe('Eve Bcc: x@evil.test');
    expect(oneLine('a\u0000b\u0085c\u2028d\u2029e\tf\u007fg')).toBe('a b c d e f g');
    expect(oneLine('  spaced   out  ')).toBe('spaced out');
  });

  it('keeps letters of every script', () => {
    expect(oneLine('Айгерім Нұрланқызы')).toBe('Айгерім Нұрланқызы');
    expect(oneLine('José Ñúñez 王小明')).toBe('José Ñúñez 王小明');
  });
});

describe('fullName and fileSafe', () => {
  it('joins a name on one line', () => {
    expect(fullName('Eve\r\n', '\nBcc: x')).toBe('Eve Bcc: x');
  });

  it('keeps only safe characters in a file name', () => {
    expect(fileSafe('K7M2QX9D')).toBe('K7M2QX9D');
    expect(fileSafe('../a b/c')).toBe('a-b-c');
    expect(fileSafe('///')).toBe('file');
  });
});

describe('markup', () => {
  it('escapes what is interpolated, and only that', () => {
    const name = '<script>alert("x")</script> & \'quotes\'';
    expect(markup`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</p>',
    );
  });

  it('nests already escaped HTML and lists, and leaves out empty values', () => {
    const items = ['<a>', 'b'].map((x) => markup`<li>${x}</li>`);
    expect(markup`<ul>${items}</ul>${null}${undefined}${false}${3}`.value).toBe(
      '<ul><li>&lt;a&gt;</li><li>b</li></ul>3',
    );
  });

  it('escapes the five characters that matter', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});
