import sanitizeHtml from 'sanitize-html';

/**
 * Member HTML made safe to show staff: an allow-list of text markup, no scripts, styles, forms,
 * event handlers or remote loads (images are dropped: a remote image is a read receipt for the
 * attacker). Links keep their real target, shown next to the text.
 */
export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [
      'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'blockquote', 'pre', 'code', 'ul', 'ol', 'li',
      'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'a', 'font',
    ],
    allowedAttributes: { a: ['href', 'rel', 'target'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: {
      a: (tagName, attribs) => ({
        tagName,
        attribs: { ...(attribs.href ? { href: attribs.href } : {}), rel: 'noopener noreferrer nofollow', target: '_blank' },
      }),
    },
    exclusiveFilter: (frame) => frame.tag === 'a' && !frame.attribs.href && !frame.text.trim(),
    textFilter: (text) => text,
    nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head'],
  }).replace(/<a href="([^"]*)"([^>]*)>([\s\S]*?)<\/a>/g, (all, href: string, rest: string, inner: string) =>
    // Show where a link really goes: phishing hides the target behind friendly text.
    inner.includes(href) ? all : `<a href="${href}"${rest}>${inner}</a> <span class="link-target">[${href}]</span>`,
  );
}
