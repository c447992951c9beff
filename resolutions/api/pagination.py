from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from resolutions.search import POOL


class PageNumberPagination(pagination.PageNumberPagination):
    """?page=2&page_size=50; a page holds at most 100 rows so one request stays cheap."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is not None and not (value.isascii() and value.isdigit() and int(value) > 0):
            raise ValidationError({self.page_size_query_param: ["A whole number from 1 to 100."]})
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        """As DRF documents them, with the bounds this class holds to: pages from 1, 1 to 100 rows."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["description"] = "Rows on a page, from 1 to 100 (default 25)."
        return parameters

    def paginate_queryset(self, queryset, request, view=None):
        # Set by a text query (q=) that matched more rows than it ranked: see resolutions.search.rank.
        self.more_matches = bool(getattr(queryset, "more_matches", False))
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["more_matches"] = self.more_matches
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["more_matches"] = {
            "type": "boolean",
            "description": "True when a text query (q=) matched more rows than were ranked: the list "
            f"then holds the best of the newest {POOL:,} matches of each index and `count` counts those. "
            "Add another filter (e.g. resolution or session) to list every match.",
        }
        schema["required"] = [*schema.get("required", []), "more_matches"]
        return schema
