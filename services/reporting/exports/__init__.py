"""The sơ kết / tổng kết exports: a phase's figures as an XLSX workbook or CSV files."""
