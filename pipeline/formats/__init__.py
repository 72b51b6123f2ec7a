"""Output formats that place the corrected words on the page: searchable PDF (`pdf`),
hOCR (`hocr`) and ALTO XML (`alto`), all fed by `vnocr.corrected_words`."""
