/**
 * .xlsx workbooks (the Excel exports bureaus pass around: one sheet per month or per station) ->
 * one CSV text per sheet, so every sheet goes through the same format detection and column mapping
 * as a CSV file (common/formats/column-mapping.ts). Read with exceljs.
 *
 * Cells: a date cell (Excel serial shown as a date) is written as its wall-clock time
 * "YYYY-MM-DD HH:mm:ss" (exceljs hands it over as a UTC Date of that wall clock, so the UTC fields
 * are the wall clock); numbers as written; formulas as their cached result; rich text as its text.
 * Empty rows are kept as empty lines so that line numbers in messages are the sheet's row numbers.
 */
import ExcelJS from 'exceljs';

export interface SheetText {
  name: string;
  /** CSV text; line n = sheet row n */
  text: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

function wallClock(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Text of one cell value as a CSV field. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return wallClock(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    if ('result' in v) return cellText((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('richText' in v) return (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('');
    if ('text' in v) return String((v as ExcelJS.CellHyperlinkValue).text);
    if ('error' in v) return '';
  }
  return String(v);
}

const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Every worksheet of a workbook as CSV text. Throws on bytes that are not a workbook. */
export async function workbookSheets(bytes: Uint8Array): Promise<SheetText[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const out: SheetText[] = [];
  wb.eachSheet((ws) => {
    const lines: string[] = [];
    const width = ws.columnCount;
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      while (lines.length < n - 1) lines.push('');
      const cells: string[] = [];
      for (let c = 1; c <= width; c++) cells.push(quote(cellText(row.getCell(c).value)));
      lines.push(cells.join(','));
    });
    out.push({ name: ws.name, text: lines.join('\n') });
  });
  return out;
}
