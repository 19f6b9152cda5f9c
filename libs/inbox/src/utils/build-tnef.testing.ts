// Tests only: builds the TNEF streams (winmail.dat) that read-tnef and parse-inbound-mail specs read.
/** Builds TNEF streams as MS-OXTNEF lays them out (what Outlook writes into winmail.dat). */
export const tnef = {
  stream: (...attributes: Buffer[]) => Buffer.concat([Buffer.from([0x78, 0x9f, 0x3e, 0x22, 0x01, 0x00]), ...attributes]),
  attribute(level: 1 | 2, id: number, data: Buffer): Buffer {
    const head = Buffer.alloc(9);
    head[0] = level;
    head.writeUInt32LE(id, 1);
    head.writeUInt32LE(data.length, 5);
    const checksum = Buffer.alloc(2);
    checksum.writeUInt16LE(data.reduce((sum, b) => (sum + b) & 0xffff, 0));
    return Buffer.concat([head, data, checksum]);
  },
  u32: (n: number, m = 0) => { const b = Buffer.alloc(8); b.writeUInt32LE(n); b.writeUInt32LE(m, 4); return b; },
  /** A MAPI property list: [type, id, value]; variable-size values are padded to 4 bytes. */
  props(list: [number, number, Buffer][]): Buffer {
    const parts: Buffer[] = [tnef.u32(list.length).subarray(0, 4)];
    for (const [type, id, value] of list) {
      const tag = Buffer.alloc(4);
      tag.writeUInt16LE(type);
      tag.writeUInt16LE(id, 2);
      parts.push(tag);
      if (id >= 0x8000) parts.push(Buffer.alloc(16, 7), tnef.u32(0).subarray(0, 4), tnef.u32(0x8501).subarray(0, 4)); // named: GUID, by id
      if ([0x1e, 0x1f, 0x102, 0x0d].includes(type)) {
        parts.push(tnef.u32(1).subarray(0, 4), tnef.u32(value.length).subarray(0, 4), value, Buffer.alloc((4 - (value.length % 4)) % 4));
      } else parts.push(value);
    }
    return Buffer.concat(parts);
  },
  utf16: (text: string) => Buffer.from(`${text}\0`, 'utf16le'),
};
