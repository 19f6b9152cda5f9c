import { extractUuencoded } from './extract-uuencoded.util';

describe('extractUuencoded', () => {
  it('takes a well-formed block out of the text and decodes its file', () => {
    const { text, files } = extractUuencoded('ファイルを送ります。\n\nbegin 644 cat.txt\n#0V%T\n`\nend\n\n以上です。');
    expect(text).toBe('ファイルを送ります。\n\n以上です。');
    expect(files).toEqual([{ filename: 'cat.txt', content: Buffer.from('Cat') }]);
  });

  it('decodes lines of 45 bytes and CRLF line ends', () => {
    const data = Buffer.from('0123456789'.repeat(5));
    const line = (chunk: Buffer) => String.fromCharCode(32 + chunk.length) + [...Array(Math.ceil(chunk.length / 3)).keys()].map((g) => {
      const [a, b, c] = [chunk[g * 3], chunk[g * 3 + 1] ?? 0, chunk[g * 3 + 2] ?? 0];
      return [a >> 2, ((a & 3) << 4) | (b >> 4), ((b & 15) << 2) | (c >> 6), c & 63].map((v) => String.fromCharCode(v === 0 ? 96 : v + 32)).join('');
    }).join('');
    const block = ['begin 600 log.bin', line(data.subarray(0, 45)), line(data.subarray(45)), '`', 'end'].join('\r\n');
    const { text, files } = extractUuencoded(`前\r\n${block}\r\n後`);
    expect(files).toEqual([{ filename: 'log.bin', content: data }]);
    expect(text).toBe('前\r\n後');
  });

  it.each([
    ['no block at all', 'begin 644 はモードの話です。'],
    ['a block without end', 'begin 644 a.txt\n#0V%T\n`'],
    ['a line shorter than its length character says', 'begin 644 a.txt\nM0V%T\n`\nend'],
    ['a line that is not uuencode', 'begin 644 a.txt\nこんにちは\nend'],
  ])('leaves %s as text', (_name, input) => {
    expect(extractUuencoded(input)).toEqual({ text: input, files: [] });
  });
});
