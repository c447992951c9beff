"""OpenAPI: every operation also documents the errors it can answer with, and every list its CSV."""

from drf_spectacular import openapi

from resolutions.api.serializers import ErrorSerializer

FIELD_ERRORS = {
    "type": "object",
    "description": "One key per bad parameter or field (country, date_from, lang, ...) with its messages; "
    '"detail" when the body itself cannot be read.',
    "additionalProperties": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
}


class AutoSchema(openapi.AutoSchema):
    def get_auth(self):
        # Reading needs no token: say so, rather than list the token as one way in.
        return [] if self.method in ("GET", "HEAD") else super().get_auth()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method in ("GET", "HEAD"):
            errors = {
                "400": (FIELD_ERRORS, "A query parameter is invalid: the body names each one."),
                "404": (ErrorSerializer, "No such object, or no such page."),
                "406": (ErrorSerializer, "None of the formats in the Accept header can be given."),
                "429": (ErrorSerializer, "Too many requests: the body says when to retry."),
            }
        else:
            errors = {
                "400": (FIELD_ERRORS, "A field is invalid, or the editorial move is not possible."),
                "401": (ErrorSerializer, "No token, or an unknown one."),
                "403": (ErrorSerializer, "The token's user may not do this (e.g. an editor publishing)."),
                "404": (ErrorSerializer, "No such note."),
                "409": (ErrorSerializer, "The note was saved since the version sent."),
                "413": (ErrorSerializer, "The body is larger than the API accepts (2.5 MB)."),
            }
            if self.method in ("PUT", "PATCH"):
                errors["412"] = (ErrorSerializer, "The note was saved since the ETag sent in If-Match.")
                errors["428"] = (
                    ErrorSerializer,
                    'Neither "version" nor If-Match says which version of the note is being changed.',
                )
        for code, (serializer, description) in errors.items():
            response = self._get_response_for_code(serializer, code, ["application/json"], direction)
            response["description"] = description
            responses.setdefault(code, response)
        if self.method in ("GET", "HEAD") and not self._is_list_view():
            responses.setdefault(
                "304", {"description": "Not modified since the ETag given in If-None-Match."}
            )
        csv = responses.get("200", {}).get("content", {}).get("text/csv")
        if csv is not None:
            csv["schema"] = self._csv_rows()
        return responses

    def _csv_rows(self):
        """What a list's CSV holds (resolutions/api/renderers.py): every matching row, no pages."""
        columns = list(self._get_serializer().fields)
        return {
            "type": "array",
            "description": "Every matching row, without pages: a header line naming these columns, then one "
            "line per row. Every cell is text: lists are joined by '; ', a nested object is given by its "
            "symbol, code, slug or title, true/false are written so, and null is empty.",
            "items": {
                "type": "object",
                "properties": {column: {"type": "string"} for column in columns},
                "required": columns,
                "additionalProperties": False,
            },
        }


def _items(operation, parameter, field):
    """A link from a list's first row to one operation on that item."""
    return operation, parameter, f"$response.body#/results/0/{field}"


# Where each answer leads: from a list's first row to its detail, and from a created note to reading
# and changing it. Clients may follow them; schemathesis's stateful phase chains its calls along them.
LINKS = {
    ("/api/v1/resolutions/", "get", "200"): [_items("v1_resolutions_retrieve", "symbol", "symbol")],
    ("/api/v1/paragraphs/", "get", "200"): [_items("v1_paragraphs_retrieve", "id", "id")],
    ("/api/v1/countries/", "get", "200"): [_items("v1_countries_retrieve", "alpha3", "alpha3")],
    ("/api/v1/themes/", "get", "200"): [_items("v1_themes_retrieve", "slug", "slug")],
    ("/api/v1/entities/", "get", "200"): [_items("v1_entities_retrieve", "slug", "slug")],
    ("/api/v1/notes/", "get", "200"): [
        _items("v1_notes_retrieve", "id", "id"),
        _items("v1_notes_partial_update", "id", "id"),
    ],
    ("/api/v1/notes/", "post", "201"): [
        ("v1_notes_retrieve", "id", "$response.body#/id"),
        ("v1_notes_partial_update", "id", "$response.body#/id"),
    ],
}


def add_links(result, generator, request, public):
    """drf-spectacular post-processing hook: the LINKS above, on the responses they start from."""
    for (path, method, code), links in LINKS.items():
        response = result["paths"].get(path, {}).get(method, {}).get("responses", {}).get(code)
        if response is not None:
            response["links"] = {
                operation: {"operationId": operation, "parameters": {parameter: expression}}
                for operation, parameter, expression in links
            }
    return result
