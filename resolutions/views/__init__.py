"""The public website, one module per reader's question. Every page reads through the shared
FilterSets (resolutions.filters) and published() only.

- common: the filtered list view, published notes, the language a text is shown in, CSV downloads
- documents: the overview, the resolutions list, a resolution, an operative paragraph, its votes
- notes: the notes list and one note
- mandates: the operative paragraphs by their mandate facts (what is asked, of whom, by when)
- vocabularies: a country (and its votes), a theme, a partner
- citations: what a resolution cites and what cites it (a graph and the lists), the most cited
- search: the search page
- dashboards: progress at a glance, overall and per resolution (figures from resolutions.dashboard)
- lineage: a series of resolutions, and what changed in a resolution since its predecessor
- reports: a resolution's implementation report (page, DOCX, PDF) and its data exports (CSV, JSON, AKN);
  the report of a filtered notes list (page, DOCX, PDF)
- feeds: Atom feeds of notes, resolutions and status changes, with the lists' query strings
- crawlers: robots.txt and the sitemap's pages (resolutions/sitemaps.py)
- alerts: e-mail alerts without an account: subscribe, confirm, unsubscribe, "my alerts" (resolutions/alerts.py)
"""
