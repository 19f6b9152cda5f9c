import { carrierOf, carrierOfRawHeaders, GETA, hasSjisPictogram, replaceCarrierPua } from './carrier-pictograms.util';

describe('carrierOf', () => {
  it.each([
    ['keitai@docomo.ne.jp', 'docomo'],
    ['ezweb@ezweb.ne.jp', 'au'],
    ['someone@biz.ezweb.ne.jp', 'au'],
    ['someone@au.com', 'au'],
    ['someone@softbank.ne.jp', 'softbank'],
    ['someone@i.softbank.jp', 'softbank'],
    ['someone@disney.ne.jp', 'softbank'],
    ['SOMEONE@DOCOMO.NE.JP', 'docomo'],
    ['soc@himawari.example.jp', null],
    ['someone@notdocomo.ne.jp', null],
    [null, null],
  ])('%s is %s', (address, carrier) => {
    expect(carrierOf(address)).toBe(carrier);
  });

  it('reads the address from a raw From header, display name and folding included', () => {
    expect(carrierOfRawHeaders('Subject: x\r\nFrom: "a@b.example" <\r\n keitai@docomo.ne.jp>\r\nTo: kakekomi@helpdesk.test')).toBe('docomo');
    expect(carrierOfRawHeaders('From: ezweb@ezweb.ne.jp')).toBe('au');
    expect(carrierOfRawHeaders('To: keitai@docomo.ne.jp')).toBeNull();
  });
});

describe('replaceCarrierPua (UTF-8 mail from carrier phones)', () => {
  it.each([
    ['docomo 晴れ', '\u{E63E}', 'docomo', '☀️'],
    ['docomo ハート', '\u{E6EC}', 'docomo', '❤️'],
    ['docomo, a gap in its range', '\u{E6A6}', 'docomo', GETA],
    ['au 晴れ', '\u{E488}', 'au', '☀️'],
    ['au, second block', '\u{EB88}', 'au', '🙎'],
    ['SoftBank', '\u{E00E}', 'softbank', '👍'],
    ['SoftBank, where au has its own code', '\u{E415}', 'softbank', '😄'],
    ['au code from a SoftBank phone: outside its ranges, left alone', '\u{EB88}', 'softbank', '\u{EB88}'],
    ['docomo range from a sender of no carrier', '\u{E63E}', null, '☀️'],
    ['other private use from a sender of no carrier (外字): left alone', '\u{E001}', null, '\u{E001}'],
  ] as const)('%s', (_name, pua, carrier, expected) => {
    expect(replaceCarrierPua(`前${pua}後`, carrier)).toBe(`前${expected}後`);
  });
});

describe('hasSjisPictogram', () => {
  it('finds a user-defined code, and SoftBank\'s FB row only from SoftBank', () => {
    expect(hasSjisPictogram(Buffer.from([0x82, 0xa0, 0xf6, 0x60]), 'au')).toBe(true);
    expect(hasSjisPictogram(Buffer.from([0xfb, 0x41]), 'softbank')).toBe(true);
    expect(hasSjisPictogram(Buffer.from([0xfb, 0x41]), null)).toBe(false);
    // F0 as the trail byte of 0x81 is no lead.
    expect(hasSjisPictogram(Buffer.from([0x81, 0xf0, 0x41]), 'docomo')).toBe(false);
  });
});
