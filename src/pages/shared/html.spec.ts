import { attrs, html, raw, SafeHtml } from './html';

describe('html', () => {
  it('escapes interpolated text, in content and attributes', () => {
    const name = `<script>alert("x")</script> & 'y'`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>',
    );
  });

  it('keeps nested templates and raw() fragments as markup, joins arrays, skips empty values', () => {
    const items = ['a<b', 'c'];
    const out = html`<ul>
        ${items.map((i) => html`<li>${i}</li>`)}
      </ul>
      ${null}${undefined}${false}${raw('<hr>')}${0}`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(out.value).toBe('<ul>\n<li>a&lt;b</li><li>c</li>\n</ul>\n<hr>0');
  });

  it('sends the template without its indentation, and values exactly as given', () => {
    const value = 'two  spaces';
    expect(
      html`<ul>
        <li title="${value}">${value}</li>
        <li>b</li>
      </ul>`.value,
    ).toBe('<ul>\n<li title="two  spaces">two  spaces</li>\n<li>b</li>\n</ul>');
  });

  it('writes boolean attributes and escapes values in attrs()', () => {
    expect(attrs({ required: true, disabled: false, id: 'a"b', x: null, n: 3 }).value).toBe(
      ' required id="a&quot;b" n="3"',
    );
  });
});
