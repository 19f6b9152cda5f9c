import { Injectable, Logger } from '@nestjs/common';
import { Consult, ConsultsService } from '@kkd/consults';
import { AppConfig, ValidationError } from '@kkd/core';
import { AttachmentCheck, checkReplyAttachments, formatBytes, MAX_REPLY_ATTACHMENTS, REPLY_ATTACHMENT_TYPES, tooLargeMessage } from '@kkd/mail';
import { CannedRepliesService } from '@kkd/replies';
import { StaffUser } from '@kkd/staff';
import { ReplyUploadRequest } from '../http/reply-upload.middleware';
import { ReplyComposeForm } from './canned-replies.dto';
import { ReplyForm } from './console.dto';
import { ConsultForms } from './consult.view-model';
import { validateForm } from './form-validation.util';
import { keptDraft, replyPreviewView, templateGroups, templateIdsOf, withTemplateId } from './reply-compose.view-model';

/** The consult page to show again instead of sending. */
export interface ComposeStep {
  status: number;
  form: ConsultForms;
}

/**
 * The consult page's reply form besides sending: a canned reply inserted into the draft (filled
 * for this consult), a preview of the mail as the member will receive it, and, once the reply is
 * sent, one use counted for each template the draft started from. Nothing here sends or stores a reply.
 */
@Injectable()
export class ReplyComposeService {
  private readonly logger = new Logger(ReplyComposeService.name);

  constructor(private readonly consults: ConsultsService, private readonly replies: CannedRepliesService, private readonly config: AppConfig) {}

  /** What the reply form's file input says: accepted extensions and the size limit. */
  fileInputView() {
    const exts = Object.keys(REPLY_ATTACHMENT_TYPES);
    return { replyFileAccept: exts.map((e) => `.${e}`).join(','), replyFileTypes: exts.join(', '), replyFileLimit: formatBytes(this.config.REPLY_ATTACHMENT_MAX_BYTES) };
  }

  /** The files sent with the form (multipart), checked against the type allow-list and the size limit. */
  attachments(req: ReplyUploadRequest): AttachmentCheck {
    const max = this.config.REPLY_ATTACHMENT_MAX_BYTES;
    if (req.replyUploadError === 'too_large') return { ok: false, message: tooLargeMessage(max) };
    if (req.replyUploadError === 'too_many') return { ok: false, message: `添付できるファイルは${MAX_REPLY_ATTACHMENTS}個までです。` };
    if (req.replyUploadError) return { ok: false, message: '添付ファイルを受け取れませんでした。もう一度選んで送信してください。' };
    // A file input left empty still sends one part with no name and no bytes.
    const files = (req.files ?? []).filter((f) => f.originalname || f.size > 0);
    return checkReplyAttachments(files.map((f) => ({ filename: f.originalname, content: f.buffer })), max);
  }

  /** null: the form asks to send (the caller does); else the page to show with the draft as typed. */
  async beforeSend(number: number, body: unknown, user: StaffUser): Promise<ComposeStep | null> {
    const kept = keptDraft(body);
    const { value, errors } = validateForm(ReplyComposeForm, body);
    if (errors) return { status: 400, form: { ...kept, replyErrors: errors } };
    if (value.action === 'insert') return this.insert(number, value.template ?? 0, kept, user);
    if (value.action !== 'preview') return null;
    const reply = validateForm(ReplyForm, body);
    if (reply.errors) return { status: 400, form: { ...kept, replyErrors: reply.errors } };
    try {
      return { status: 200, form: { ...kept, replyPreview: replyPreviewView(await this.consults.previewReply(number, user, reply.value.body)) } };
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return { status: 400, form: { ...kept, replyErrors: { [err.field]: err.message } } };
    }
  }

  /** The reply was sent (committed): count its templates. A failure here must not look like a failed reply. */
  async afterSend(body: unknown): Promise<void> {
    try {
      await this.replies.recordUse(templateIdsOf(keptDraft(body).replyTemplateIds));
    } catch (err) {
      this.logger.warn(`canned reply usage not counted: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The template choice for the reply form. */
  async choices(consult: Consult) {
    return templateGroups(await this.replies.choices(), consult.category);
  }

  private async insert(number: number, template: number, kept: ReturnType<typeof keptDraft>, user: StaffUser): Promise<ComposeStep> {
    if (template < 1) return { status: 400, form: { ...kept, replyErrors: { template: '挿入する定型文を選んでください。' } } };
    try {
      const draft = await this.replies.draft(template, await this.consults.get(number), user);
      // What was typed stays; the template comes after it.
      const typed = kept.replyBody.replace(/\s+$/, '');
      return {
        status: 200,
        form: {
          ...kept, replyBody: typed ? `${typed}\n\n${draft.text}` : draft.text, replyTemplateIds: withTemplateId(kept.replyTemplateIds, draft.id),
          replyNotice: `定型文「${draft.title}」を挿入しました。内容を確認し、必要に応じて編集してから送信してください。`,
        },
      };
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return { status: 400, form: { ...kept, replyErrors: { [err.field]: err.message } } };
    }
  }
}
