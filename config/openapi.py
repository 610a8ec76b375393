"""The OpenAPI schema is a contract that clients generate code from, so it says what the API
really answers. drf-spectacular describes each operation's success from its serializers; this
post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) adds, in one place, what every
operation can also answer, and corrects what a serializer cannot say:

- the error answers of every operation: 400 (bad input, with field errors), 401, 403, 404, 409,
  413 and 429, in the API's one error shape (config.api.exception_handler, config.guards);
- a time of day (a flex's daily window, a patrol's window) is London wall-clock time, written
  HH:MM[:SS] without an offset: JSON Schema's "time" format requires one, so it is described by a
  pattern instead."""

ERROR = "Error"
VALIDATION_ERROR = "ValidationError"

ERROR_ANSWERS = {
    "400": (VALIDATION_ERROR, "Bad input: each field at fault lists its messages; a rule of the "
            "job also gives `detail` and `code`."),
    "401": (ERROR, "Not signed in, or the token expired or was revoked."),
    "403": (ERROR, "Your role does not allow this."),
    "404": (ERROR, "Not found among the records you may see (another borough's are never "
            "shown)."),
    "409": (ERROR, "The state of the records does not allow it; `code` says which rule."),
    "413": (ERROR, "The request body is larger than this endpoint accepts."),
    "429": (ERROR, "Too many requests: try again after the Retry-After header's seconds."),
}  # fmt: skip

ERROR_SCHEMAS = {
    ERROR: {
        "type": "object",
        "description": "Why the request was refused.",
        "properties": {
            "detail": {"type": "string", "description": "In words, for a person."},
            "code": {"type": "string", "description": "Which rule, for a program."},
        },
        "required": ["detail", "code"],
    },
    VALIDATION_ERROR: {
        "type": "object",
        "description": "Field errors: each field at fault with its messages (nested like the "
        "request for lists of objects), and for a rule of the job `detail` and `code`.",
        "properties": {
            "detail": {"type": "string"},
            "code": {"type": "string"},
            "non_field_errors": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": {},
    },
}

TIME_OF_DAY = {
    "type": "string",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
    "example": "07:30:00",
}
TIME_NOTE = "London wall-clock time, HH:MM[:SS], without an offset."


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def add_error_answers(result, generator, request, public):
    """Every operation documents the error answers it can give (an operation that documents one
    itself, such as an import's 400, keeps its own)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in ERROR_SCHEMAS.items():
        schemas.setdefault(name, schema)
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for status, (schema, description) in ERROR_ANSWERS.items():
                responses.setdefault(
                    status,
                    {"description": description,
                     "content": {"application/json": {"schema": _ref(schema)}}},
                )  # fmt: skip
    return result


def times_of_day_without_offset(result, generator, request, public):
    """`format: time` (which requires an offset) becomes a pattern, everywhere in the schema."""
    _replace_time_format(result)
    return result


def _replace_time_format(node) -> None:
    if isinstance(node, dict):
        if node.get("format") == "time" and node.get("type") == "string":
            del node["format"]
            for key, value in TIME_OF_DAY.items():
                node.setdefault(key, value)
            note = node.get("description", "")
            node["description"] = f"{note} {TIME_NOTE}".strip()
        for value in node.values():
            _replace_time_format(value)
    elif isinstance(node, list):
        for value in node:
            _replace_time_format(value)
