/**
 * What every reader must find in test/fixtures/accounts-book.{xlsx,xls,ods} — one workbook (accounts-book.fods)
 * saved by LibreOffice in each format: a notes sheet, then the data below a title row and a blank row.
 */
export const ACCOUNTS_BOOK = {
  sheet: 'Accounts',
  sheets: [
    { name: 'Notes', rows: 1 },
    { name: 'Accounts', rows: 5 },
  ],
  headerRow: 3,
  columns: ['Account ID', 'Account Name', 'Renewal date', 'Seats', 'MRR'],
  rows: [
    [4, '00123', 'Acme, Inc.', '2027-01-15', '40', '12000'],
    [5, '00124', 'Kraków Software', '2026-12-01', '3', '900'],
  ],
};
