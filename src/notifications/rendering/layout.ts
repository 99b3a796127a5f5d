import type { Language } from '../../common/validation/decorators';
import { markup, type SafeHtml } from './html';

/**
 * The one layout of every email, as HTML and as plain text. It receives plain text only (from the
 * message catalogs and the registration) and escapes all of it; the HTML is built with the
 * `markup` tag, which escapes whatever is interpolated. Inline styles and presentation tables,
 * because mail clients ignore style sheets; one column, so it reads on a phone.
 */

export interface EmailLink {
  label: string;
  url: string;
  note: string;
}

export interface EmailDocument {
  language: Language;
  /** The subject, also the HTML title. */
  title: string;
  /** The line mail clients show beside the subject (hidden in the body). */
  preheader: string;
  /** The event's title, small above the heading. */
  eyebrow: string;
  heading: string;
  greeting: string;
  paragraphs: string[];
  /** Set off from the paragraphs: a copy sent again, sessions dropped. */
  notes: string[];
  details: { label: string; value: string }[];
  qr?: { cid: string; alt: string; caption: string; filename: string };
  join?: EmailLink;
  sessions?: { heading: string; items: { title: string; when: string; room: string | null }[] };
  members?: { heading: string; columns: string[]; rows: string[][] };
  manage: EmailLink;
  /** After the links: what is attached. */
  closing: string[];
  signOff: string[];
  footer: string;
}

const COLORS = {
  page: '#f3f4f6',
  card: '#ffffff',
  text: '#1f2933',
  muted: '#52606d',
  faint: '#7b8794',
  rule: '#e4e7eb',
  accent: '#0b5cad',
  noteBg: '#fff8e1',
  noteBorder: '#f0b429',
};

const P = `margin:0 0 16px;`;
const H2 = `margin:24px 0 8px;font-size:18px;line-height:1.3;`;
const CELL = `padding:6px 12px 6px 0;vertical-align:top;border-bottom:1px solid ${COLORS.rule};`;

function linkBlock(link: EmailLink): SafeHtml {
  return markup`<h2 style="${H2}">${link.label}</h2>
<p style="margin:0 0 8px;"><a href="${link.url}" style="display:inline-block;padding:12px 20px;background:${COLORS.accent};color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold;">${link.label}</a></p>
<p style="margin:0 0 8px;font-size:13px;color:${COLORS.muted};word-break:break-all;"><a href="${link.url}" style="color:${COLORS.accent};">${link.url}</a></p>
<p style="margin:0 0 16px;font-size:14px;color:${COLORS.muted};">${link.note}</p>
`;
}

function qrBlock(qr: NonNullable<EmailDocument['qr']>): SafeHtml {
  return markup`<p style="margin:8px 0;text-align:center;"><img src="cid:${qr.cid}" width="240" height="240" alt="${qr.alt}" style="display:block;margin:0 auto;width:240px;height:240px;"></p>
<p style="${P}text-align:center;font-size:14px;color:${COLORS.muted};">${qr.caption}</p>
`;
}

function sessionsBlock(sessions: NonNullable<EmailDocument['sessions']>): SafeHtml {
  const items = sessions.items.map(
    (s) =>
      markup`<li style="margin:0 0 8px;"><strong>${s.title}</strong><br><span style="color:${COLORS.muted};">${s.room ? `${s.when}, ${s.room}` : s.when}</span></li>
`,
  );
  return markup`<h2 style="${H2}">${sessions.heading}</h2>
<ul style="margin:0 0 16px;padding-left:20px;">
${items}</ul>
`;
}

function membersBlock(members: NonNullable<EmailDocument['members']>): SafeHtml {
  const head = members.columns.map(
    (c) => markup`<th scope="col" style="${CELL}text-align:left;color:${COLORS.muted};">${c}</th>`,
  );
  const rows = members.rows.map(
    (row) => markup`<tr>${row.map((cell) => markup`<td style="${CELL}">${cell}</td>`)}</tr>
`,
  );
  return markup`<h2 style="${H2}">${members.heading}</h2>
<table cellpadding="0" cellspacing="0" style="width:100%;margin:0 0 16px;border-collapse:collapse;font-size:14px;">
<thead><tr>${head}</tr></thead>
<tbody>
${rows}</tbody>
</table>
`;
}

export function renderHtml(doc: EmailDocument): string {
  const paragraphs = doc.paragraphs.map(
    (p) => markup`<p style="${P}">${p}</p>
`,
  );
  const notes = doc.notes.map(
    (n) =>
      markup`<p style="${P}padding:10px 12px;background:${COLORS.noteBg};border-left:4px solid ${COLORS.noteBorder};">${n}</p>
`,
  );
  const details = doc.details.map(
    (d) =>
      markup`<tr><th scope="row" style="${CELL}text-align:left;font-weight:normal;color:${COLORS.muted};">${d.label}</th><td style="${CELL}font-weight:bold;">${d.value}</td></tr>
`,
  );
  const closing = doc.closing.map(
    (c) => markup`<p style="${P}">${c}</p>
`,
  );
  const signOff = doc.signOff.map((line, i) => (i === 0 ? line : markup`<br>${line}`));
  return markup`<!DOCTYPE html>
<html lang="${doc.language}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${doc.title}</title>
</head>
<body style="margin:0;padding:0;background:${COLORS.page};">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${doc.preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:${COLORS.page};">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:${COLORS.card};border-radius:8px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:${COLORS.text};">
<tr><td style="padding:28px 28px 12px;">
<p style="margin:0 0 4px;font-size:14px;color:${COLORS.muted};">${doc.eyebrow}</p>
<h1 style="margin:0 0 20px;font-size:24px;line-height:1.3;">${doc.heading}</h1>
<p style="${P}">${doc.greeting}</p>
${paragraphs}${notes}<table role="presentation" cellpadding="0" cellspacing="0" style="width:100%;margin:0 0 16px;border-collapse:collapse;">
${details}</table>
${doc.qr && qrBlock(doc.qr)}${doc.join && linkBlock(doc.join)}${doc.sessions && sessionsBlock(doc.sessions)}${doc.members && membersBlock(doc.members)}${linkBlock(doc.manage)}${closing}<p style="${P}">${signOff}</p>
</td></tr>
<tr><td style="padding:16px 28px 24px;border-top:1px solid ${COLORS.rule};font-size:12px;color:${COLORS.faint};">${doc.footer}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`.value;
}

function textLink(link: EmailLink): string[] {
  return [`${link.label}:`, link.url, link.note, ''];
}

export function renderText(doc: EmailDocument): string {
  const lines: string[] = [doc.eyebrow, '', doc.heading, '='.repeat(doc.heading.length), ''];
  lines.push(doc.greeting, '');
  for (const p of doc.paragraphs) lines.push(p, '');
  for (const n of doc.notes) lines.push(`* ${n}`, '');
  for (const d of doc.details) lines.push(`${d.label}: ${d.value}`);
  lines.push('');
  if (doc.qr) lines.push(`${doc.qr.caption} (${doc.qr.filename})`, '');
  if (doc.join) lines.push(...textLink(doc.join));
  if (doc.sessions) {
    lines.push(`${doc.sessions.heading}:`);
    for (const s of doc.sessions.items) {
      lines.push(`- ${s.title}`, `  ${s.room ? `${s.when}, ${s.room}` : s.when}`);
    }
    lines.push('');
  }
  if (doc.members) {
    lines.push(`${doc.members.heading}:`, `  (${doc.members.columns.join(' | ')})`);
    for (const row of doc.members.rows) lines.push(`- ${row.join(' | ')}`);
    lines.push('');
  }
  lines.push(...textLink(doc.manage));
  for (const c of doc.closing) lines.push(c, '');
  lines.push(...doc.signOff, '', '-- ', doc.footer, '');
  return lines.join('\n');
}
