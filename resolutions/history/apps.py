from django.apps import AppConfig


class HistoryConfig(AppConfig):
    """The change history of notes, sources, assessments, resolutions and paragraphs (django-simple-history).

    Its tables are the historical twins of the resolutions app's models, kept under their own label so that
    the domain app lists only domain models; the admin shows them on each object's "History" page.
    """

    name = "resolutions.history"
    label = "history"
    verbose_name = "Change history"
