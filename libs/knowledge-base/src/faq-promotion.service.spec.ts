import { freshText } from './faq-promotion.service';

describe('freshText (what a member wrote, for an FAQ question)', () => {
  it('leaves out the quoted history and the signature', () => {
    const text = 'サーバが暗号化されました。\n\n--\n山田 太郎\nTEL 03-1234-5678\n\n2026年11月24日(火) 10:00 駆け込み寺 <kakekomi@helpdesk.test>:\n> 受付しました';
    expect(freshText({ text })).toBe('サーバが暗号化されました。');
  });

  it('keeps a short mail that reads as a signature block as a whole instead of giving an empty question', () => {
    const text = '至急ご連絡ください TEL 03-1234-5678\n〒100-0001 東京都千代田区の拠点でウイルス検知';
    expect(freshText({ text })).toBe(text);
  });
});
