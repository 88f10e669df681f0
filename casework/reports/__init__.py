"""The PDFs Casework makes of a case, drawn with ReportLab from the DTOs a service hands
over: no Session, no Qt. `page` holds what every document shares (fonts, styles, the page
with its confidentiality footer and page numbers); each document has a module of its own."""
