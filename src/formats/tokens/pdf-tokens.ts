import { PDF_BYTES_PER_PAGE, PDF_PAGE_TOKENS } from './costs.js';

/** A base64 PDF: pages guessed from its decoded size, each a fixed cost. */
export function pdfTokens(base64Length: number): number {
  const bytes = (base64Length * 3) / 4;
  return Math.max(1, Math.ceil(bytes / PDF_BYTES_PER_PAGE)) * PDF_PAGE_TOKENS;
}
