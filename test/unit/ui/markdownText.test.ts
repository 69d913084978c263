import * as assert from 'node:assert/strict';
import { markdownCode, markdownText } from '../../../src/ui/markdownText';

/** Characters that would start Markdown or a theme icon when not preceded by a backslash. */
function unescaped(text: string, special: RegExp): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (special.test(text[i])) {
      let slashes = 0;
      for (let j = i - 1; j >= 0 && text[j] === '\\'; j--) slashes++;
      if (slashes % 2 === 0) found.push(`${text[i]}@${i}`);
    }
  }
  return found;
}

describe('cluster text inside Markdown tooltips', () => {
  it('shows links, icons, emphasis and HTML from a cluster as plain characters', () => {
    const hostile = 'evil [click me](https://phish.example/login) $(debug-alt) **bold** <img src=x> `code` \\[x]';
    const escaped = markdownText(hostile);
    assert.deepEqual(unescaped(escaped, /[[\]()$*<>`]/), []);
    // Unescaping gives back exactly what the cluster said.
    assert.equal(escaped.replace(/\\(.)/g, '$1'), hostile);
  });

  it('keeps a tooltip on its lines: a newline in a name cannot start a heading or a list', () => {
    assert.equal(markdownText('a\n# heading\n- item'), 'a \\# heading \\- item');
  });

  it('fences inline code with more backticks than the text has, so it cannot be closed early', () => {
    assert.equal(markdownCode('http://x'), '` http://x `');
    assert.equal(markdownCode('a ``b`` c'), '``` a ``b`` c ```');
  });
});
