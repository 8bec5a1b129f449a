/**
 * The HTML around every notification: a single column with a stylesheet that juice inlines into
 * style attributes (mail clients drop or ignore `<style>` blocks). Templates are fragments of the
 * body, so a template edit cannot lose the layout.
 */
const STYLES = `
body { margin: 0; padding: 0; background: #f4f5f7; }
.wrapper { max-width: 600px; margin: 0 auto; padding: 24px; background: #ffffff; font-family: -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; font-size: 15px; line-height: 1.5; color: #1f2328; }
p { margin: 0 0 12px 0; }
.comment { border-left: 3px solid #d0d7de; padding: 4px 0 4px 12px; margin: 0 0 16px 0; }
.muted { color: #59636e; font-size: 13px; }
.button { display: inline-block; padding: 8px 14px; background: #0969da; color: #ffffff; text-decoration: none; border-radius: 6px; }
.footer { max-width: 600px; margin: 0 auto; padding: 12px 24px; color: #59636e; font-size: 12px; font-family: Helvetica, Arial, sans-serif; }
`;

export function layout(content: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><style>${STYLES}</style></head>
<body><div class="wrapper">${content}</div><div class="footer">{{helpdesk.name}}</div></body></html>`;
}
