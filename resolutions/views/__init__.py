"""The public website, one module per reader's question. Every page reads through the shared
FilterSets (resolutions.filters) and published() only.

- common: the filtered list view, published notes, the language a text is shown in, CSV downloads
- documents: the overview, the resolutions list, a resolution, an operative paragraph, its votes
- notes: the notes list and one note
- mandates: the operative paragraphs by their mandate facts (what is asked, of whom, by when)
- vocabularies: a country (and its votes), a theme, a partner
- search: the search page
- reports: a resolution's implementation report (page, DOCX, PDF) and its data exports (CSV, JSON, AKN);
  the report of a filtered notes list (page, DOCX, PDF)
"""
