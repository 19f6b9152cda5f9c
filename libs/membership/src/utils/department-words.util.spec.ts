import { englishDepartmentHits, japaneseDepartmentHits } from './department-words.util';

describe('japaneseDepartmentHits', () => {
  const words = (text: string) => japaneseDepartmentHits(text).map((h) => text.slice(h.start, h.end));
  it.each<[string, string, string[]]>([
    ['a department before a particle', '経理部の担当者が', ['経理部']],
    ['a 部門 written with katakana', '情報システム部門から', ['情報システム部門']],
    ['a section, a room, a centre, a group and a team', '総務課に、DX推進室と、品質センター、開発グループ、対応チームへ', ['総務課', 'DX推進室', '品質センター', '開発グループ', '対応チーム']],
    ['a capitals stem', 'IT部門で確認', ['IT部門']],
    ['a generic word before the unit is left out', '弊社経理部と当社総務課', ['経理部', '総務課']],
    ['one-character stems are common words', '全部、一部、内部、外部、本部、上部、幹部、細部、教室、別室', []],
    ['a unit noun inside a longer word', '大部分、部品、課題、経理部品、営業部長', []],
    ['rooms and parts of things', '会議室、サーバー室、サーバ室、マシン室、ヘッダー部、表示部、都心部', []],
    ['generic units', '関係部門、各部門、担当部門、該当課、事業部', []],
    ['other organisations and account groups', '県警のサイバー犯罪対策課、セキュリティグループ、ユーザーグループ、データセンター、レッドチーム', []],
    ['national CSIRTs and agencies an incident mail names', 'JPCERTコーディネーションセンター、IPAセキュリティセンター', []],
  ])('%s', (_name, text, expected) => {
    expect(words(text)).toEqual(expected);
  });
});

describe('englishDepartmentHits', () => {
  const words = (text: string, signature: number[] = []) =>
    englishDepartmentHits(text, (line) => signature.includes(line)).map((h) => text.slice(h.start, h.end));
  it.each<[string, string, number[], string[]]>([
    ['a department in a signature', 'Information Systems Dept.', [0], ['Information Systems Dept.']],
    ['two units on the company\'s line', 'CSIRT Team, Corporate Planning Dept., 〔会社名〕', [], ['CSIRT Team', 'Corporate Planning Dept.']],
    ['a division on the line after the company', '〔会社名〕\nIT Security Division', [], ['IT Security Division']],
    ['Department of …', 'Department of Information Systems', [0], ['Department of Information Systems']],
    ['a unit away from the company and the signature', 'Please ask the Customer Support Team\n\nthanks', [], []],
    ['account groups and generic teams', 'Security Group, Security Team, Resource Group', [0], []],
    ['a unit with no word before it', '〔会社名〕 Group', [], []],
  ])('%s', (_name, text, signature, expected) => {
    expect(words(text, signature)).toEqual(expected);
  });
});
