"""Official documents as PDF (WeasyPrint): the biên bản kiểm tra of an inspection and the
round's Thông báo kết quả kiểm tra, laid out per Nghị định 30/2020/NĐ-CP, from stored data."""
