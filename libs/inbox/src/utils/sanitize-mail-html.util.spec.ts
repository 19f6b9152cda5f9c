import { sanitizeMailHtml } from './sanitize-mail-html.util';

describe('sanitizeMailHtml', () => {
  it.each([
    ['<p>hi<script>alert(1)</script></p>', '<p>hi</p>'],
    ['<img src="https://tracker.example/x.png">text', 'text'],
    ['<p onclick="steal()">x</p>', '<p>x</p>'],
    ['<a href="javascript:alert(1)">click</a>', '<a rel="noopener noreferrer nofollow" target="_blank">click</a>'],
    ['<style>body{background:url(https://x.example/)}</style><b>ok</b>', '<b>ok</b>'],
    ['<iframe src="https://evil.example"></iframe>ok', 'ok'],
  ])('makes %s inert', (input, expected) => expect(sanitizeMailHtml(input)).toBe(expected));

  it('shows the real target of a link next to its text', () => {
    const html = sanitizeMailHtml('<a href="https://evil.example/login">https://bank.example</a>');
    expect(html).toContain('[https://evil.example/login]');
    expect(html).toContain('href="https://evil.example/login"');
  });
});
