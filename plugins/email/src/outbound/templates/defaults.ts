import type { NotificationKind } from '../notifications.ts';

/** One notification's template: Handlebars for the subject (plain), the HTML body and the text body. */
export interface TemplateSource {
  subject: string;
  html: string;
  text: string;
}

/**
 * The shipped templates, per kind and locale. The subject gets the ticket tag (`[#123]`) in front
 * by the code, so a template cannot break threading. The HTML is a fragment placed in the layout
 * (`layout.ts`), whose stylesheet is inlined. Data: `ticket` (id, number, title, status, priority,
 * url), `recipient` (name, email), `author` (name), `comment` (html — already sanitized —, text,
 * internal), `helpdesk` (name).
 */
export const DEFAULT_TEMPLATES: Record<NotificationKind, Record<string, TemplateSource>> = {
  'ticket-created': {
    en: {
      subject: 'We received your request: {{ticket.title}}',
      html: `<p>Hello {{recipient.name}},</p>
<p>we received your request <strong>{{ticket.title}}</strong> and opened ticket #{{ticket.number}}. We will get back to you soon.</p>
<p class="muted">Reply to this email to add information to the ticket.</p>{{#if ticket.url}}
<p><a class="button" href="{{ticket.url}}">View ticket #{{ticket.number}}</a></p>{{/if}}`,
      text: `Hello {{recipient.name}},

we received your request "{{ticket.title}}" and opened ticket #{{ticket.number}}. We will get back to you soon.

Reply to this email to add information to the ticket.{{#if ticket.url}}
{{ticket.url}}{{/if}}
-- {{helpdesk.name}}`,
    },
    de: {
      subject: 'Ihre Anfrage ist eingegangen: {{ticket.title}}',
      html: `<p>Guten Tag {{recipient.name}},</p>
<p>wir haben Ihre Anfrage <strong>{{ticket.title}}</strong> erhalten und unter der Nummer #{{ticket.number}} erfasst. Wir melden uns bald bei Ihnen.</p>
<p class="muted">Antworten Sie auf diese E-Mail, um dem Ticket etwas hinzuzufügen.</p>{{#if ticket.url}}
<p><a class="button" href="{{ticket.url}}">Ticket #{{ticket.number}} ansehen</a></p>{{/if}}`,
      text: `Guten Tag {{recipient.name}},

wir haben Ihre Anfrage "{{ticket.title}}" erhalten und unter der Nummer #{{ticket.number}} erfasst. Wir melden uns bald bei Ihnen.

Antworten Sie auf diese E-Mail, um dem Ticket etwas hinzuzufügen.{{#if ticket.url}}
{{ticket.url}}{{/if}}
-- {{helpdesk.name}}`,
    },
  },
  'agent-reply': {
    en: {
      subject: 'Re: {{ticket.title}}',
      html: `<div class="comment">{{{comment.html}}}</div>
<p class="muted">{{author.name}} · {{helpdesk.name}}</p>`,
      text: `{{comment.text}}

-- {{author.name}}, {{helpdesk.name}}`,
    },
    de: {
      subject: 'AW: {{ticket.title}}',
      html: `<div class="comment">{{{comment.html}}}</div>
<p class="muted">{{author.name}} · {{helpdesk.name}}</p>`,
      text: `{{comment.text}}

-- {{author.name}}, {{helpdesk.name}}`,
    },
  },
  'ticket-solved': {
    en: {
      subject: 'Solved: {{ticket.title}}',
      html: `<p>Hello {{recipient.name}},</p>
<p>your ticket <strong>{{ticket.title}}</strong> (#{{ticket.number}}) was marked as solved.</p>
<p class="muted">If the problem is not solved, reply to this email and the ticket opens again.</p>`,
      text: `Hello {{recipient.name}},

your ticket "{{ticket.title}}" (#{{ticket.number}}) was marked as solved.

If the problem is not solved, reply to this email and the ticket opens again.
-- {{helpdesk.name}}`,
    },
    de: {
      subject: 'Gelöst: {{ticket.title}}',
      html: `<p>Guten Tag {{recipient.name}},</p>
<p>Ihr Ticket <strong>{{ticket.title}}</strong> (#{{ticket.number}}) wurde als gelöst markiert.</p>
<p class="muted">Falls das Problem weiter besteht, antworten Sie auf diese E-Mail; das Ticket wird dann wieder geöffnet.</p>`,
      text: `Guten Tag {{recipient.name}},

Ihr Ticket "{{ticket.title}}" (#{{ticket.number}}) wurde als gelöst markiert.

Falls das Problem weiter besteht, antworten Sie auf diese E-Mail; das Ticket wird dann wieder geöffnet.
-- {{helpdesk.name}}`,
    },
  },
  'ticket-assigned': {
    en: {
      subject: 'Assigned to you: {{ticket.title}}',
      html: `<p>{{recipient.name}}, ticket #{{ticket.number}} <strong>{{ticket.title}}</strong> was assigned to you{{#if author}} by {{author.name}}{{/if}}.</p>
<p class="muted">Priority {{ticket.priority}} · status {{ticket.status}}</p>{{#if ticket.url}}
<p><a class="button" href="{{ticket.url}}">Open ticket #{{ticket.number}}</a></p>{{/if}}`,
      text: `{{recipient.name}}, ticket #{{ticket.number}} "{{ticket.title}}" was assigned to you{{#if author}} by {{author.name}}{{/if}}.
Priority {{ticket.priority}}, status {{ticket.status}}.{{#if ticket.url}}
{{ticket.url}}{{/if}}`,
    },
    de: {
      subject: 'Ihnen zugewiesen: {{ticket.title}}',
      html: `<p>{{recipient.name}}, das Ticket #{{ticket.number}} <strong>{{ticket.title}}</strong> wurde Ihnen zugewiesen{{#if author}} (von {{author.name}}){{/if}}.</p>
<p class="muted">Priorität {{ticket.priority}} · Status {{ticket.status}}</p>{{#if ticket.url}}
<p><a class="button" href="{{ticket.url}}">Ticket #{{ticket.number}} öffnen</a></p>{{/if}}`,
      text: `{{recipient.name}}, das Ticket #{{ticket.number}} "{{ticket.title}}" wurde Ihnen zugewiesen{{#if author}} (von {{author.name}}){{/if}}.
Priorität {{ticket.priority}}, Status {{ticket.status}}.{{#if ticket.url}}
{{ticket.url}}{{/if}}`,
    },
  },
  'agent-mention': {
    en: {
      subject: '{{author.name}} mentioned you: {{ticket.title}}',
      html: `<p>{{author.name}} mentioned you in {{#if comment.internal}}an internal note{{else}}a reply{{/if}} on ticket #{{ticket.number}} <strong>{{ticket.title}}</strong>:</p>
<div class="comment">{{{comment.html}}}</div>`,
      text: `{{author.name}} mentioned you in {{#if comment.internal}}an internal note{{else}}a reply{{/if}} on ticket #{{ticket.number}} "{{ticket.title}}":

{{comment.text}}`,
    },
    de: {
      subject: '{{author.name}} hat Sie erwähnt: {{ticket.title}}',
      html: `<p>{{author.name}} hat Sie in {{#if comment.internal}}einer internen Notiz{{else}}einer Antwort{{/if}} zu Ticket #{{ticket.number}} <strong>{{ticket.title}}</strong> erwähnt:</p>
<div class="comment">{{{comment.html}}}</div>`,
      text: `{{author.name}} hat Sie in {{#if comment.internal}}einer internen Notiz{{else}}einer Antwort{{/if}} zu Ticket #{{ticket.number}} "{{ticket.title}}" erwähnt:

{{comment.text}}`,
    },
  },
  'ticket-comment': {
    en: {
      subject: '{{#if comment.internal}}Note{{else}}Reply{{/if}} from {{author.name}}: {{ticket.title}}',
      html: `<p>{{author.name}} added {{#if comment.internal}}an internal note{{else}}a reply{{/if}} to ticket #{{ticket.number}} <strong>{{ticket.title}}</strong>:</p>
<div class="comment">{{{comment.html}}}</div>`,
      text: `{{author.name}} added {{#if comment.internal}}an internal note{{else}}a reply{{/if}} to ticket #{{ticket.number}} "{{ticket.title}}":

{{comment.text}}`,
    },
    de: {
      subject: '{{#if comment.internal}}Notiz{{else}}Antwort{{/if}} von {{author.name}}: {{ticket.title}}',
      html: `<p>{{author.name}} hat dem Ticket #{{ticket.number}} <strong>{{ticket.title}}</strong> {{#if comment.internal}}eine interne Notiz{{else}}eine Antwort{{/if}} hinzugefügt:</p>
<div class="comment">{{{comment.html}}}</div>`,
      text: `{{author.name}} hat dem Ticket #{{ticket.number}} "{{ticket.title}}" {{#if comment.internal}}eine interne Notiz{{else}}eine Antwort{{/if}} hinzugefügt:

{{comment.text}}`,
    },
  },
};

export const DEFAULT_LOCALES = ['en', 'de'];
