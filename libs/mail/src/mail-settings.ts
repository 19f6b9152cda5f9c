import { textSetting } from '@kkd/core';

/**
 * The secretariat's signature: the last lines of every reply mail to a member. Managers edit it
 * on the canned replies page; line breaks are kept.
 */
export const REPLY_SIGNATURE = textSetting(
  'mail.reply_signature',
  'CSIRT倶楽部 駆け込み寺 事務局',
  1000,
  '署名',
);
